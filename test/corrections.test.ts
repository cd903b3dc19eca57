/**
 * Corrections (docs/domain.md#corrections) through the API on a real worker, on the 2019 plenary calendar:
 * recorded Bundesrat facts and cabinet dates are corrected by the role that recorded them, also after
 * adoption (the run stays open for them); derived dates follow; the audit event keeps the old and the new
 * value; and every refusal of the issue leaves the initiative unchanged. Also the decision's refinements
 * (decision number, with changes).
 */
import { describe, expect, it } from 'vitest';
import { webhookEventsOf } from '../db/outbox.js';
import type { AuditEventDraft, Initiative } from '../workflows/contracts.js';
import { SYSTEM_ACTOR } from '../workflows/contracts.js';
import { SESSIONS_2019, historyOf, useHarness } from './kit/index.js';

const harness = useHarness({ calendar: SESSIONS_2019 });
const { who, flow } = harness;

const correct = (id: string, as: string, body: Record<string, unknown>) =>
  flow.post(id, '/corrections', as, body);
const corrections = async (id: string) =>
  (await historyOf(harness, id, who.viewer)).filter((e) => e.type === 'corrected');

/** An adopted bill: submitted 01.03.2019 (session 975 on 15.03), referred to In and R, adopted 15.03. */
async function adoptedBill(): Promise<{ motion: Initiative; drucksache: string }> {
  const motion = await flow.toBundesrat();
  const drucksache = flow.drucksache();
  await flow.command(motion.id, '/bundesrat/submission', who.liaisonBY, {
    drucksache,
    submittedOn: '2019-03-01',
    procedure: 'committee',
  });
  await flow.command(motion.id, '/bundesrat/referral', who.liaisonBY, {
    committees: ['In', 'R'],
    leadCommittee: 'In',
  });
  const adopted = await flow.command(motion.id, '/bundesrat/decision', who.liaisonBY, {
    decision: 'adopted',
    decidedOn: '2019-03-15',
    decisionNumber: `${drucksache}(B)`,
  });
  return { motion: adopted, drucksache };
}

describe('corrections', () => {
  it('on an adopted bill: dates recomputed, old and new value in the audit chain, phase unchanged', async () => {
    const { motion, drucksache } = await adoptedBill();
    expect(motion.phase).toBe('adopted');
    expect(motion.bundesrat).toMatchObject({
      decisionNumber: `${drucksache}(B)`,
      forwardingDueOn: '2019-04-26',
      forwarding: { rule: 'Art. 76(3) sentence 1 GG', weeks: 6, basis: 'decision', from: '2019-03-15' },
    });

    const decided = await correct(motion.id, who.liaisonBY, {
      field: 'decidedOn',
      value: '2019-03-22',
      reason: 'Beschlussdatum falsch übernommen.',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.phase).toBe('adopted');
    expect(decided.body.version).toBe(motion.version + 1);
    expect(decided.body.bundesrat).toMatchObject({ decidedOn: '2019-03-22', forwardingDueOn: '2019-05-03' });

    const committees = await correct(motion.id, who.liaisonBY, {
      field: 'committees',
      value: 'In, R, Wi',
      reason: 'Wi war mitberatend.',
    });
    expect(committees.status).toBe(200);
    expect(committees.body.bundesrat?.committees).toEqual(['In', 'R', 'Wi']);
    const lead = await correct(motion.id, who.liaisonBY, {
      field: 'leadCommittee',
      value: 'R',
      reason: 'Federführend war der Rechtsausschuss.',
    });
    expect(lead.body.bundesrat?.leadCommittee).toBe('R');

    // a new Drucksache: the decision number follows, the old number is free for another motion
    const renumbered = flow.drucksache();
    const moved = await correct(motion.id, who.liaisonBY, {
      field: 'drucksache',
      value: renumbered,
      reason: 'Zahlendreher.',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.bundesrat).toMatchObject({
      drucksache: renumbered,
      decisionNumber: `${renumbered}(B)`,
    });
    const other = await flow.toBundesrat();
    const reused = await flow.submit(other.id, {
      drucksache,
      submittedOn: '2019-03-01',
      procedure: 'immediate',
    });
    expect(reused.status).toBe(200);

    // the cabinet of NW corrects its own decision's date
    const cabinet = await correct(motion.id, who.cabinetNW, {
      field: 'cabinetDecidedOn',
      value: '2019-01-17',
      reason: 'Kabinettssitzung war am 17.01.',
    });
    expect(cabinet.status).toBe(200);
    expect(cabinet.body.cabinetDecisions.find((d) => d.land === 'NW')?.decidedOn).toBe('2019-01-17');
    expect(cabinet.body.cabinetDecisions.find((d) => d.land === 'BY')?.decidedOn).toBe('2019-01-15');

    const events = await corrections(motion.id);
    expect(events.map((e) => e.data)).toEqual([
      {
        field: 'decidedOn',
        from: '2019-03-15',
        to: '2019-03-22',
        reason: 'Beschlussdatum falsch übernommen.',
        forwardingDueOn: '2019-05-03',
      },
      { field: 'committees', from: 'In, R', to: 'In, R, Wi', reason: 'Wi war mitberatend.' },
      { field: 'leadCommittee', from: 'In', to: 'R', reason: 'Federführend war der Rechtsausschuss.' },
      {
        field: 'drucksache',
        from: drucksache,
        to: renumbered,
        reason: 'Zahlendreher.',
        decisionNumber: `${renumbered}(B)`,
      },
      {
        field: 'cabinetDecidedOn',
        land: 'NW',
        from: '2019-01-16',
        to: '2019-01-17',
        reason: 'Kabinettssitzung war am 17.01.',
      },
    ]);
    expect(events.map((e) => [e.actor.role, e.actor.land])).toEqual([
      ['liaison', 'BY'],
      ['liaison', 'BY'],
      ['liaison', 'BY'],
      ['liaison', 'BY'],
      ['cabinet', 'NW'],
    ]);
    // the closed initiative offers corrections to those who recorded facts, and nothing else
    const allowed = async (as: string) =>
      (
        await harness.get<{ items: { action: string }[] }>(`/v1/initiatives/${motion.id}/allowed-actions`, as)
      ).body.items.map((item) => item.action);
    expect(await allowed(who.liaisonBY)).toEqual(['follow-up', 'correct']);
    expect(await allowed(who.cabinetBY)).toEqual(['correct']);
    expect(await allowed(who.cabinetHE)).toEqual([]);
    expect(await allowed(who.proposerBY)).toEqual([]);
  });

  it('a new submission date on an undecided motion books the session anew', async () => {
    const motion = await flow.toBundesrat();
    const submitted = await flow.submit(motion.id, {
      submittedOn: '2019-03-01',
      procedure: 'immediate',
    });
    expect(submitted.body.bundesrat?.plenarySession).toEqual({ number: 975, date: '2019-03-15' });
    const corrected = await correct(motion.id, who.liaisonBY, {
      field: 'submittedOn',
      value: '2019-03-20',
      reason: 'Eingang erst am 20.03.',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.bundesrat).toMatchObject({
      submittedOn: '2019-03-20',
      plenarySession: { number: 976, date: '2019-04-12' },
    });
    const [event] = await corrections(motion.id);
    expect(event?.data).toMatchObject({
      field: 'submittedOn',
      from: '2019-03-01',
      to: '2019-03-20',
      plenarySession: { number: 976, date: '2019-04-12' },
    });
  });

  it('refuses what the issue lists, and nothing changes', async () => {
    const { motion, drucksache } = await adoptedBill();
    const held = await flow.toBundesrat();
    const heldNumber = flow.drucksache();
    await flow.submit(held.id, { drucksache: heldNumber, submittedOn: '2019-03-01', procedure: 'immediate' });
    const reason = 'Korrektur.';
    const cases: [string, string, Record<string, unknown>, number][] = [
      // a role that did not record the fact → 403
      ['cabinet corrects a Bundesrat fact', who.cabinetBY, { field: 'decidedOn', value: '2019-03-22' }, 403],
      ['liaison of NW', who.liaisonNW, { field: 'decidedOn', value: '2019-03-22' }, 403],
      [
        'liaison corrects a cabinet date',
        who.liaisonBY,
        { field: 'cabinetDecidedOn', value: '2019-01-20' },
        403,
      ],
      ['a proposer', who.proposerBY, { field: 'decidedOn', value: '2019-03-22' }, 403],
      [
        'a Land without a cabinet decision',
        who.cabinetHE,
        { field: 'cabinetDecidedOn', value: '2019-01-20' },
        403,
      ],
      // a Drucksache another initiative holds → 409
      ['a held Drucksache', who.liaisonBY, { field: 'drucksache', value: heldNumber }, 409],
      // an unknown field → 400; values that do not fit → 400
      ['an unknown field', who.liaisonBY, { field: 'plenarySession', value: '975' }, 400],
      ['not a date', who.liaisonBY, { field: 'decidedOn', value: '2019-02-30' }, 400],
      ['not a Drucksache', who.liaisonBY, { field: 'drucksache', value: '12-19' }, 400],
      [
        'decision number of another Drucksache',
        who.liaisonBY,
        { field: 'decisionNumber', value: '1/19(B)' },
        400,
      ],
      ['a lead committee not among them', who.liaisonBY, { field: 'leadCommittee', value: 'Wi' }, 400],
      ['committees without the lead', who.liaisonBY, { field: 'committees', value: 'R, Wi' }, 400],
      ['the recorded value', who.liaisonBY, { field: 'decidedOn', value: '2019-03-15' }, 400],
    ];
    for (const [what, as, body, status] of cases) {
      const answer = await correct(motion.id, as, { ...body, reason });
      expect([what, answer.status]).toEqual([what, status]);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await flow.get(motion.id)).toEqual(motion);
    expect(await corrections(motion.id)).toEqual([]);
    expect((await flow.get(held.id)).bundesrat?.drucksache).toBe(heldNumber);
    expect(motion.bundesrat?.drucksache).toBe(drucksache);

    // nothing recorded yet → 409
    const preparing = await flow.toBundesrat();
    const early = await correct(preparing.id, who.liaisonBY, {
      field: 'submittedOn',
      value: '2019-03-01',
      reason,
    });
    expect(early.status).toBe(409);
    const undecided = await correct(held.id, who.liaisonBY, {
      field: 'decidedOn',
      value: '2019-03-15',
      reason,
    });
    expect(undecided.status).toBe(409);
  });
});

describe('decision refinements', () => {
  it('decision number N/YY(B) and with changes; 400 for another number or changes without adoption', async () => {
    const motion = await flow.toBundesrat();
    const drucksache = flow.drucksache();
    await flow.submit(motion.id, { drucksache, submittedOn: '2019-03-01', procedure: 'immediate' });
    const decide = (body: Record<string, unknown>) =>
      flow.post(motion.id, '/bundesrat/decision', who.liaisonBY, { decidedOn: '2019-03-15', ...body });
    expect((await decide({ decision: 'adopted', decisionNumber: '999/18(B)' })).status).toBe(400);
    expect((await decide({ decision: 'adopted', decisionNumber: `${drucksache}` })).status).toBe(400);
    expect((await decide({ decision: 'rejected', withChanges: true })).status).toBe(400);
    expect((await decide({ decision: 'postponed', withChanges: true })).status).toBe(400);
    const adopted = await decide({
      decision: 'adopted',
      withChanges: true,
      decisionNumber: `${drucksache}(B)`,
    });
    expect(adopted.status).toBe(200);
    expect(adopted.body.bundesrat).toMatchObject({ decisionNumber: `${drucksache}(B)`, withChanges: true });
  });
});

describe('Bundesrat refinements', () => {
  it('session choice: a session of the calendar on or after submittedOn, else 409', async () => {
    const motion = await flow.toBundesrat();
    const submit = (body: Record<string, unknown>) =>
      flow.post(motion.id, '/bundesrat/submission', who.liaisonBY, {
        drucksache: flow.drucksache(),
        submittedOn: '2019-03-10',
        procedure: 'immediate',
        ...body,
      });
    // 974 sits on 15.02, before the submission; 1234 is not in the calendar
    expect((await submit({ plenarySession: 974 })).status).toBe(409);
    expect((await submit({ plenarySession: 1234 })).status).toBe(409);
    expect((await flow.get(motion.id)).bundesrat?.status).toBe('preparing');
    // 975 (15.03) lies within the lead days, but a chosen session only has to follow the submission
    const chosen = await submit({ plenarySession: 975 });
    expect(chosen.status).toBe(200);
    expect(chosen.body.bundesrat).toMatchObject({
      plenarySession: { number: 975, date: '2019-03-15' },
      sessionChosen: true,
    });
  });

  it('immediate, then referred; recommendations with an adjournment counted apart', async () => {
    const motion = await flow.toBundesrat();
    const drucksache = flow.drucksache();
    await flow.submit(motion.id, { drucksache, submittedOn: '2019-03-01', procedure: 'immediate' });
    // before the referral the committees recommend nothing → 409
    const early = await flow.post(motion.id, '/bundesrat/recommendation', who.liaisonBY, {
      recommendation: 'adopt',
      drucksache: drucksache.replace('/', '/1/'),
      on: '2019-03-05',
    });
    expect(early.status).toBe(409);
    const referred = await flow.command(motion.id, '/bundesrat/referral', who.liaisonBY, {
      committees: ['In', 'R'],
      leadCommittee: 'In',
    });
    expect(referred.bundesrat).toMatchObject({ status: 'referred', procedure: 'committee' });
    const recommend = (body: Record<string, unknown>) =>
      flow.post(motion.id, '/bundesrat/recommendation', who.liaisonBY, body);
    // not the motion's number with /1/ → 400
    expect(
      (await recommend({ recommendation: 'adopt', drucksache: '999/1/19', on: '2019-03-05' })).status,
    ).toBe(400);
    const adjourned = await recommend({
      recommendation: 'adjourned',
      drucksache: drucksache.replace('/', '/1/'),
      on: '2019-03-05',
    });
    expect(adjourned.status).toBe(200);
    expect(adjourned.body.bundesrat).toMatchObject({
      plenarySession: { number: 976, date: '2019-04-12' },
      adjournments: 1,
      postponements: 0,
    });
    const recommended = await recommend({
      recommendation: 'adopt_with_changes',
      drucksache: drucksache.replace('/', '/1/'),
      on: '2019-04-01',
    });
    expect(recommended.body.bundesrat?.recommendations).toEqual([
      { recommendation: 'adjourned', drucksache: drucksache.replace('/', '/1/'), on: '2019-03-05' },
      { recommendation: 'adopt_with_changes', drucksache: drucksache.replace('/', '/1/'), on: '2019-04-01' },
    ]);
    const types = (await historyOf(harness, motion.id, who.viewer)).map((e) => e.type);
    expect(types.filter((t) => t === 'committee_recommended')).toHaveLength(2);
  });

  it('Art. 76(3) GG: the four variants computed from receipt; follow-up before adoption → 409', async () => {
    const bill = async (flags: Record<string, unknown>) => {
      const motion = await flow.toBundesrat();
      await flow.command(motion.id, '/bundesrat/submission', who.liaisonBY, {
        drucksache: flow.drucksache(),
        submittedOn: '2019-03-01',
        procedure: 'immediate',
        ...flags,
      });
      return motion.id;
    };
    const followUp = (id: string, body: Record<string, unknown>) =>
      flow.post(id, '/bundesrat/follow-up', who.liaisonBY, body);
    const [plain, urgent, constitutional] = await Promise.all([
      bill({}),
      bill({ urgent: true }),
      bill({ urgent: true, constitutional: true }),
    ]);
    expect((await followUp(plain, { receivedOn: '2019-03-20' })).status).toBe(409);
    for (const id of [plain, urgent, constitutional])
      await flow.command(id, '/bundesrat/decision', who.liaisonBY, {
        decision: 'adopted',
        decidedOn: '2019-03-15',
      });

    const due = async (id: string, body: Record<string, unknown>) => {
      const answer = await followUp(id, body);
      expect(answer.status).toBe(200);
      expect(answer.body.phase).toBe('adopted');
      return [answer.body.bundesrat?.forwardingDueOn, answer.body.bundesrat?.forwarding?.rule];
    };
    // plain: 6 weeks from receipt (sentence 1); with an extension 9 (sentence 3)
    expect(await due(plain, { receivedOn: '2019-03-20' })).toEqual([
      '2019-05-01',
      'Art. 76(3) sentence 1 GG',
    ]);
    expect(await due(plain, { extended: true })).toEqual(['2019-05-22', 'Art. 76(3) sentence 3 GG']);
    // urgent: 3 weeks; with an extension 6 (sentence 4)
    expect(await due(urgent, { receivedOn: '2019-03-20' })).toEqual([
      '2019-04-10',
      'Art. 76(3) sentence 4 GG',
    ]);
    expect(await due(urgent, { extended: true })).toEqual(['2019-05-01', 'Art. 76(3) sentence 4 GG']);
    // constitutional: 9 weeks whatever the other flags say (sentence 5)
    expect(await due(constitutional, { receivedOn: '2019-03-20', extended: true })).toEqual([
      '2019-05-22',
      'Art. 76(3) sentence 5 GG',
    ]);
    const forwarded = await followUp(plain, { forwardedOn: '2019-05-10', bundestagDrucksache: '19/9999' });
    expect(forwarded.body.bundesrat?.followUp).toEqual({
      receivedOn: '2019-03-20',
      extended: true,
      forwardedOn: '2019-05-10',
      bundestagDrucksache: '19/9999',
    });
    expect(forwarded.body.bundesrat?.forwarding).toEqual({
      rule: 'Art. 76(3) sentence 3 GG',
      weeks: 9,
      basis: 'receipt',
      from: '2019-03-20',
    });
    // nothing to record → 400; received before the adoption → 400
    expect((await followUp(plain, {})).status).toBe(400);
    expect((await followUp(urgent, { receivedOn: '2019-03-01' })).status).toBe(400);
  });

  it('urgent or constitutional only on a bill (400)', async () => {
    const resolution = await flow.toBundesrat({ instrument: 'entschliessungsantrag' });
    const answer = await flow.post(resolution.id, '/bundesrat/submission', who.liaisonBY, {
      drucksache: flow.drucksache(),
      submittedOn: '2019-03-01',
      procedure: 'immediate',
      urgent: true,
    });
    expect(answer.status).toBe(400);
    expect((await flow.get(resolution.id)).bundesrat?.status).toBe('preparing');
  });
});

describe('webhook events', () => {
  it('an extension and a correction each stand for a webhook event of their own', () => {
    const event = (type: AuditEventDraft['type']): AuditEventDraft => ({
      seq: 1,
      at: '2026-12-03T12:00:00.000Z',
      type,
      actor: SYSTEM_ACTOR,
      data: {},
    });
    expect(webhookEventsOf(event('deadline_extended'))).toEqual(['extension']);
    expect(webhookEventsOf(event('corrected'))).toEqual(['correction']);
    expect(webhookEventsOf(event('committee_recommended'))).toEqual([]);
  });
});
