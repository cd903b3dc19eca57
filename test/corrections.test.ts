/**
 * Corrections (docs/domain.md#corrections) through the API on a real worker, on the 2019 plenary calendar:
 * recorded Bundesrat facts and cabinet dates are corrected by the role that recorded them, also after
 * adoption (the run stays open for them); derived dates follow; the audit event keeps the old and the new
 * value; and every refusal of the issue leaves the initiative unchanged. Also the decision's refinements
 * (decision number, with changes).
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
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
    expect(await allowed(who.liaisonBY)).toEqual(['correct']);
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
