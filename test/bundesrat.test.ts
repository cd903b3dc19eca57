/**
 * The Bundesrat stage on the 2019 plenary calendar (sessions 974..984): submission and booking,
 * referral, plenary decision (adopted, rejected, postponed), accession (Beitritt), the liaison's reminder,
 * and what happens past the calendar's end. The file shares one database, so the calendar is set once
 * and only ever extended (the last tests add sessions from today on).
 */
import { describe, expect, it } from 'vitest';
import {
  ACTOR,
  addDays,
  anyString,
  berlinToday,
  eventually,
  expectStatus,
  expectAnswer,
  expectClosedBy,
  type Session,
  SESSIONS_2019,
  SYSTEM,
  useHarness,
  waitForInitiative,
  TO_BUNDESRAT,
} from './kit/index.js';

const harness = useHarness({ calendar: SESSIONS_2019 });
const { who, flow } = harness;

const session = (number: number) => {
  const found = SESSIONS_2019.find((s) => s.number === number);
  if (!found) throw new Error(`no session ${number}`);
  return { number, date: found.date };
};

const refer = (id: string, as = who.liaisonBY, body = { committees: ['In', 'R'], leadCommittee: 'In' }) =>
  flow.post(id, '/bundesrat/referral', as, body);
const plenary = (id: string, decision: string, decidedOn: string, as = who.liaisonBY) =>
  flow.post(id, '/bundesrat/decision', as, { decision, decidedOn });
const accede = (id: string, as: string) => flow.post(id, '/bundesrat/accessions', as, {});

const reminders = async (id: string) =>
  (await flow.history(id)).filter((e) => e.type === 'bundesrat_decision_reminder');
/** Past sessions: the reminder is due at once; waiting for it keeps the versions predictable. */
const waitForReminders = (id: string, count: number) =>
  eventually(
    () => reminders(id),
    (items) => items.length === count,
    { timeoutMs: 15_000, what: `${count} bundesrat_decision_reminder event(s) on ${id}` },
  );

describe('submission, referral and plenary decision', () => {
  it('committee procedure: submission → referral → postponed → adopted, the session moving on', async () => {
    const motion = await flow.toBundesrat();
    const submitted = await flow.submit(motion.id, {
      drucksache: '101/19',
      submittedOn: '2019-03-01',
      procedure: 'committee',
    });
    expect(submitted.status).toBe(200);
    await expectAnswer(flow, motion, submitted.body, { timersMayFire: true });
    // exactly BUNDESRAT_LEAD_DAYS (14) after submission: 2019-03-15 is bookable
    expect(submitted.body.bundesrat).toMatchObject({
      status: 'submitted',
      drucksache: '101/19',
      procedure: 'committee',
      submittedOn: '2019-03-01',
      plenarySession: session(975),
      postponements: 0,
    });
    expect(submitted.body.pendingActions).toEqual([{ action: 'refer', land: 'BY', role: 'liaison' }]);
    // 2019-03-15 has passed, but a committee motion waits for its referral: no reminder yet
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await reminders(motion.id)).toEqual([]);

    const beforeReferral = await flow.get(motion.id);
    expect(beforeReferral.version).toBe(submitted.body.version);
    const referred = await refer(motion.id);
    expect(referred.status).toBe(200);
    await expectAnswer(flow, beforeReferral, referred.body, { timersMayFire: true });
    expect(referred.body.bundesrat).toMatchObject({
      status: 'referred',
      committees: ['In', 'R'],
      leadCommittee: 'In',
      plenarySession: session(975),
    });
    expect(referred.body.pendingActions).toEqual([
      // P3D after the session of Friday 2019-03-15: Monday 2019-03-18, 24:00 Berlin
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: '2019-03-18T23:00:00.000Z' },
    ]);
    // the referral starts the reminder; the session has passed, so it follows at once
    await waitForReminders(motion.id, 1);

    const beforePostponement = await flow.get(motion.id);
    const postponed = await plenary(motion.id, 'postponed', '2019-03-15');
    expect(postponed.status).toBe(200);
    await expectAnswer(flow, beforePostponement, postponed.body, { timersMayFire: true });
    expect(postponed.body.phase).toBe('bundesrat');
    expect(postponed.body.bundesrat).toMatchObject({
      status: 'referred',
      plenarySession: session(976),
      postponements: 1,
    });
    expect(postponed.body.bundesrat?.decision).toBeUndefined();
    expect(postponed.body.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: '2019-04-15T22:00:00.000Z' },
    ]);

    await waitForReminders(motion.id, 2);
    const beforeAdoption = await flow.get(motion.id);
    const adopted = await plenary(motion.id, 'adopted', '2019-04-12');
    await expectClosedBy(flow, beforeAdoption, adopted, 'adopted', 'bundesrat');
    expect(adopted.body.bundesrat).toMatchObject({
      status: 'decided',
      decision: 'adopted',
      decidedOn: '2019-04-12',
      forwardingDueOn: '2019-05-24',
      plenarySession: session(976),
      postponements: 1,
    });
    expect(adopted.body.pendingActions).toEqual([]);

    expect(await flow.commandTypes(motion.id)).toEqual([
      ...TO_BUNDESRAT,
      'bundesrat_submitted',
      'bundesrat_referred',
      'plenary_decided',
      'plenary_decided',
      'phase_changed',
    ]);
    const history = await flow.history(motion.id);
    const find = (type: string, n = 0) => history.filter((e) => e.type === type)[n];
    expect(find('bundesrat_submitted')).toMatchObject({
      actor: ACTOR('l-by', 'BY', 'liaison'),
      data: {
        drucksache: '101/19',
        procedure: 'committee',
        submittedOn: '2019-03-01',
        plenarySession: session(975),
      },
    });
    expect(find('bundesrat_referred')?.data).toEqual({ committees: ['In', 'R'], leadCommittee: 'In' });
    expect(find('plenary_decided', 0)?.data).toEqual({
      decision: 'postponed',
      decidedOn: '2019-03-15',
      from: session(975),
      to: session(976),
    });
    expect(find('plenary_decided', 1)?.data).toEqual({
      decision: 'adopted',
      decidedOn: '2019-04-12',
      forwardingDueOn: '2019-05-24',
      forwarding: { rule: 'Art. 76(3) sentence 1 GG', weeks: 6, basis: 'decision', from: '2019-04-12' },
    });
    expect(history.at(-1)?.data).toEqual({ from: 'bundesrat', to: 'adopted', reason: 'bundesrat' });

    // closed: no further Bundesrat events
    expect((await plenary(motion.id, 'rejected', '2019-04-12')).status).toBe(409);
    expect((await refer(motion.id)).status).toBe(409);
  });

  it('immediate procedure: the plenary decides directly; a bill gets forwardingDueOn', async () => {
    const motion = await flow.toBundesrat();
    const submitted = expectStatus(
      await flow.submit(motion.id, { submittedOn: '2019-02-20', procedure: 'immediate' }),
      200,
    );
    expect(submitted.bundesrat).toMatchObject({ procedure: 'immediate', plenarySession: session(975) });
    expect(submitted.pendingActions).toEqual([
      expect.objectContaining({ action: 'decide', land: 'BY', role: 'liaison' }),
    ]);
    // (a referral after an immediate request is allowed: test/corrections.test.ts "immediate, then referred")
    const adopted = expectStatus(await plenary(motion.id, 'adopted', '2019-03-15'), 200);
    expect(adopted.phase).toBe('adopted');
    expect(adopted.bundesrat).toMatchObject({
      status: 'decided',
      decision: 'adopted',
      decidedOn: '2019-03-15',
      forwardingDueOn: '2019-04-26',
      postponements: 0,
    });
    expect(adopted.bundesrat?.committees).toBeUndefined();
  });

  it('a resolution (Entschließungsantrag) has no forwardingDueOn; a plenary rejection → rejected (bundesrat)', async () => {
    const [resolution, rejectedOne] = await Promise.all([
      flow.toBundesrat({ instrument: 'entschliessungsantrag' }),
      flow.toBundesrat(),
    ]);
    await Promise.all([
      flow.submit(resolution.id, { submittedOn: '2019-03-20', procedure: 'immediate' }),
      flow.submit(rejectedOne.id, { submittedOn: '2019-03-20', procedure: 'immediate' }),
    ]);
    const adopted = expectStatus(await plenary(resolution.id, 'adopted', '2019-04-12'), 200);
    expect(adopted.phase).toBe('adopted');
    expect(adopted.bundesrat).toMatchObject({ decision: 'adopted', decidedOn: '2019-04-12' });
    expect(adopted.bundesrat).not.toHaveProperty('forwardingDueOn');
    const history = await flow.history(resolution.id);
    expect(history.find((e) => e.type === 'plenary_decided')?.data).toEqual({
      decision: 'adopted',
      decidedOn: '2019-04-12',
    });

    const rejected = expectStatus(await plenary(rejectedOne.id, 'rejected', '2019-04-12'), 200);
    expect(rejected.phase).toBe('rejected');
    expect(rejected.outcome).toMatchObject({ result: 'rejected', reason: 'bundesrat' });
    expect(rejected.bundesrat).toMatchObject({
      status: 'decided',
      decision: 'rejected',
      decidedOn: '2019-04-12',
    });
    expect(rejected.bundesrat).not.toHaveProperty('forwardingDueOn');
    expect((await flow.commandTypes(rejectedOne.id)).slice(-2)).toEqual(['plenary_decided', 'phase_changed']);
  });

  it('refuses Bundesrat events out of order (409) and inconsistent referrals (400)', async () => {
    const [early, motion] = await Promise.all([flow.toCabinet(), flow.toBundesrat()]);
    // before the bundesrat phase
    const tooEarly = await flow.submit(early.id, { submittedOn: '2019-03-01', procedure: 'committee' });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.detail).toMatch(/phase bundesrat/);
    // before the submission
    expect((await refer(motion.id)).status).toBe(409);
    expect((await plenary(motion.id, 'adopted', '2019-03-15')).status).toBe(409);

    expectStatus(
      await flow.submit(motion.id, {
        drucksache: '120/19',
        submittedOn: '2019-03-01',
        procedure: 'committee',
      }),
      200,
    );
    const second = await flow.submit(motion.id, { submittedOn: '2019-03-02', procedure: 'committee' });
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain('120/19');
    // committee procedure: the plenary decides only after the referral
    const undecidable = await plenary(motion.id, 'adopted', '2019-03-15');
    expect(undecidable.status).toBe(409);
    expect(undecidable.body.detail).toMatch(/after the referral/);
    expect((await plenary(motion.id, 'postponed', '2019-03-15')).status).toBe(409);

    const inconsistent = await refer(motion.id, who.liaisonBY, {
      committees: ['In', 'R'],
      leadCommittee: 'Wi',
    });
    expect(inconsistent.status).toBe(400);
    expect(inconsistent.body.errors).toEqual([{ path: 'body/leadCommittee', message: anyString }]);

    expectStatus(await refer(motion.id), 200);
    const again = await refer(motion.id, who.liaisonBY, { committees: ['Wi'], leadCommittee: 'Wi' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/referred already/);

    const after = await flow.get(motion.id);
    expect(after.bundesrat).toMatchObject({
      status: 'referred',
      drucksache: '120/19',
      submittedOn: '2019-03-01',
      committees: ['In', 'R'],
    });
    expect((await flow.commandTypes(motion.id)).slice(-2)).toEqual([
      'bundesrat_submitted',
      'bundesrat_referred',
    ]);
  });
});

describe('Drucksache and booking', () => {
  it('refuses malformed Drucksache numbers (400)', async () => {
    const motion = await flow.toBundesrat();
    for (const drucksache of ['12-19', '0/19', '12/2019', '123456/19', '12/19(B)', '12/1/19', '']) {
      const response = await flow.submit(motion.id, {
        drucksache,
        submittedOn: '2019-03-01',
        procedure: 'committee',
      });
      expect(response.status, drucksache).toBe(400);
      expect(
        response.body.errors?.map((e) => e.path),
        drucksache,
      ).toEqual(['body/drucksache']);
    }
    expect((await flow.get(motion.id)).version).toBe(motion.version);
  });

  it('a Drucksache belongs to one initiative (409); refused submissions do not hold their number', async () => {
    const [first, second, third] = await Promise.all([
      flow.toBundesrat(),
      flow.toBundesrat(),
      flow.toBundesrat(),
    ]);
    expectStatus(
      await flow.submit(first.id, {
        drucksache: '500/19',
        submittedOn: '2019-04-01',
        procedure: 'committee',
      }),
      200,
    );
    const taken = await flow.submit(second.id, {
      drucksache: '500/19',
      submittedOn: '2019-04-01',
      procedure: 'committee',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain('500/19');
    expect((await flow.get(second.id)).bundesrat?.status).toBe('preparing');

    // the first initiative's second (refused) submission under another number leaves that number free
    const refused = await flow.submit(first.id, {
      drucksache: '501/19',
      submittedOn: '2019-04-01',
      procedure: 'committee',
    });
    expect(refused.status).toBe(409);
    // so does a submission refused for want of a session
    const noSession = await flow.submit(third.id, {
      drucksache: '502/19',
      submittedOn: '2019-12-10',
      procedure: 'committee',
    });
    expect(noSession.status).toBe(409);

    const [secondOk, thirdOk] = await Promise.all([
      flow.submit(second.id, { drucksache: '501/19', submittedOn: '2019-04-01', procedure: 'committee' }),
      flow.submit(third.id, { drucksache: '502/19', submittedOn: '2019-04-01', procedure: 'committee' }),
    ]);
    expect(expectStatus(secondOk, 200).bundesrat?.drucksache).toBe('501/19');
    expect(expectStatus(thirdOk, 200).bundesrat?.drucksache).toBe('502/19');
    expect((await flow.get(first.id)).bundesrat?.drucksache).toBe('500/19');
  });

  it('books the first session at least 14 days after submittedOn; none left → 409 with a clear detail', async () => {
    const [a, b, c] = await Promise.all([flow.toBundesrat(), flow.toBundesrat(), flow.toBundesrat()]);
    // 2019-03-02 + 14 = 2019-03-16: one day too late for 2019-03-15, so 2019-04-12
    const later = expectStatus(
      await flow.submit(a.id, { submittedOn: '2019-03-02', procedure: 'committee' }),
      200,
    );
    expect(later.bundesrat?.plenarySession).toEqual(session(976));
    // the calendar's last session, 2019-12-20, exactly 14 days on
    const last = expectStatus(
      await flow.submit(b.id, { submittedOn: '2019-12-06', procedure: 'committee' }),
      200,
    );
    expect(last.bundesrat?.plenarySession).toEqual(session(984));

    const none = await flow.submit(c.id, { submittedOn: '2019-12-07', procedure: 'committee' });
    expect(none.status).toBe(409);
    expect(none.body.detail).toBe(
      'The plenary calendar has no session on or after 2019-12-21 (14 days after submission); an admin must extend it.',
    );
    const after = await flow.get(c.id);
    expect(after.version).toBe(c.version);
    expect(after.bundesrat).toMatchObject({ status: 'preparing', plenarySession: null });
    expect(after.pendingActions).toEqual([{ action: 'submit', land: 'BY', role: 'liaison' }]);
  });

  it('only the liaison of the lead Land records Bundesrat events (403)', async () => {
    const [byLed, nwLed] = await Promise.all([flow.toBundesrat(), flow.toBundesrat({}, who.proposerNW)]);
    const body = { submittedOn: '2019-05-01', procedure: 'committee' as const };
    for (const as of [who.cabinetBY, who.liaisonNW, who.liaisonSN, who.viewer, who.admin, who.proposerBY]) {
      const refused = await flow.submit(byLed.id, body, as);
      expect(refused.status).toBe(403);
    }
    expect((await flow.submit(nwLed.id, body, who.liaisonBY)).status).toBe(403);
    const submitted = expectStatus(await flow.submit(nwLed.id, body, who.liaisonNW), 200);
    expect(submitted.leadLand).toBe('NW');
    expect(submitted.bundesrat?.plenarySession).toEqual(session(977));
    expect((await refer(nwLed.id, who.liaisonBY)).status).toBe(403);
    expect((await plenary(nwLed.id, 'postponed', '2019-05-17', who.liaisonBY)).status).toBe(403);
    expectStatus(await refer(nwLed.id, who.liaisonNW), 200);
    expect((await flow.get(byLed.id)).version).toBe(byLed.version);
    expect((await flow.history(nwLed.id)).find((e) => e.type === 'bundesrat_submitted')?.actor).toEqual(
      ACTOR('l-nw', 'NW', 'liaison'),
    );
  });
});

describe('accession (Beitritt)', () => {
  it('further Länder accede in phase bundesrat until the decision; partners and applicants → 409', async () => {
    const motion = await flow.toBundesrat();
    const sn = await accede(motion.id, who.cabinetSN);
    expect(sn.status).toBe(200);
    await expectAnswer(flow, motion, sn.body);
    expect(sn.body.phase).toBe('bundesrat');
    expect(sn.body.bundesrat?.applicants).toEqual(['BY', 'NW', 'SN']);
    expect(sn.body.participants).toContainEqual({ land: 'SN', role: 'joined' });
    const event = (await flow.history(motion.id)).at(-1);
    expect(event).toMatchObject({
      type: 'accession_declared',
      actor: ACTOR('c-sn', 'SN', 'cabinet'),
      data: { land: 'SN' },
    });

    const again = await accede(motion.id, who.cabinetSN);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/applicant already/);
    for (const partner of [who.cabinetBY, who.cabinetNW]) {
      const refused = await accede(motion.id, partner);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/partner/);
    }
    // accession is the cabinet's declaration
    expect((await accede(motion.id, who.reviewerSN)).status).toBe(403);
    expect((await accede(motion.id, who.liaisonSN)).status).toBe(403);
    expect((await accede(motion.id, who.viewer)).status).toBe(403);

    // after the submission, still before the decision
    expectStatus(await flow.submit(motion.id, { submittedOn: '2019-05-01', procedure: 'immediate' }), 200);
    const hb = expectStatus(await accede(motion.id, who.cabinetHB), 200);
    expect(hb.bundesrat?.applicants).toEqual(['BY', 'NW', 'SN', 'HB']);

    const adopted = expectStatus(await plenary(motion.id, 'adopted', '2019-05-17'), 200);
    expect(adopted.bundesrat?.applicants).toEqual(['BY', 'NW', 'SN', 'HB']);
    const late = await accede(motion.id, who.cabinetTH);
    expect(late.status).toBe(409);
    expect((await flow.get(motion.id)).bundesrat?.applicants).toEqual(['BY', 'NW', 'SN', 'HB']);
    expect((await flow.commandTypes(motion.id)).filter((t) => t === 'accession_declared')).toHaveLength(2);
  });

  it('before the bundesrat phase: 404 for a Land that cannot read the motion, 409 for one that can', async () => {
    const created = await flow.motion({ invite: ['HE', 'TH'] });
    expect((await accede(created.id, who.cabinetSN)).status).toBe(404);
    expect((await accede(created.id, who.cabinetHE)).status).toBe(409);

    await flow.command(created.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    await flow.command(created.id, '/invitations/TH', who.reviewerTH, { decision: 'decline' });
    const cabinet = await flow.approveBoth(created.id);
    expect(cabinet.phase).toBe('cabinet');
    expect((await accede(created.id, who.cabinetSN)).status).toBe(404);
    const th = await accede(created.id, who.cabinetTH);
    expect(th.status).toBe(409);
    expect(th.body.detail).toMatch(/phase bundesrat/);
    expect((await accede(created.id, who.cabinetHE)).status).toBe(409);
    expect((await flow.get(created.id)).version).toBe(cabinet.version);

    // once in the bundesrat phase, the Land that had declined its invitation may still accede
    for (const as of [who.cabinetBY, who.cabinetNW, who.cabinetHE])
      await flow.command(created.id, '/cabinet-decisions', as, {
        decision: 'approve',
        decidedOn: '2019-02-01',
      });
    const acceded = expectStatus(await accede(created.id, who.cabinetTH), 200);
    expect(acceded.bundesrat?.applicants).toEqual(['BY', 'NW', 'HE', 'TH']);
    expect(acceded.participants.find((p) => p.land === 'TH')?.role).toBe('joined');
  });
});

describe('liaison reminder', () => {
  it('fires BUNDESRAT_DECISION_REMINDER after the booked session without a decision, again after a postponement', async () => {
    const motion = await flow.toBundesrat();
    const submitted = expectStatus(
      await flow.submit(motion.id, { submittedOn: '2019-05-20', procedure: 'immediate' }),
      200,
    );
    expect(submitted.bundesrat?.plenarySession).toEqual(session(978));
    expect(submitted.pendingActions).toEqual([
      // Friday 2019-06-07 + 3 days = Monday 2019-06-10, Whit Monday (a holiday in BY): Tuesday 24:00 Berlin
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: '2019-06-11T22:00:00.000Z' },
    ]);
    // the session lies in the past: the reminder is due at once
    const [reminder] = await waitForReminders(motion.id, 1);
    expect(reminder?.actor).toEqual(SYSTEM);
    expect(reminder?.data).toEqual({
      land: 'BY',
      dueAt: '2019-06-11T22:00:00.000Z',
      plenarySession: session(978),
    });
    const reminded = await flow.get(motion.id);
    expect(reminded.version).toBe(submitted.version + 1);
    expect(reminded.phase).toBe('bundesrat');
    expect(reminded.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: '2019-06-11T22:00:00.000Z' },
    ]);
    // once only
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await reminders(motion.id)).toHaveLength(1);

    // postponed to 2019-06-28 (also past): a new reminder for the new session
    expectStatus(await plenary(motion.id, 'postponed', '2019-06-07'), 200);
    const both = await waitForReminders(motion.id, 2);
    expect(both[1]?.data).toEqual({
      land: 'BY',
      dueAt: '2019-07-01T22:00:00.000Z',
      plenarySession: session(979),
    });
    expectStatus(await plenary(motion.id, 'adopted', '2019-06-28'), 200);
  });
});

describe('past the calendar’s end', () => {
  const today = berlinToday();
  const extension = (sessions: { number: number; date: string }[]): Session[] => [
    ...SESSIONS_2019,
    ...sessions.map((s) => ({ ...s, provisional: true, source: 'test: sessions from today on' })),
  ];

  it('a postponement at the last session leaves plenarySession null and asks the admin; extending books it', async () => {
    const motion = await flow.toBundesrat();
    expectStatus(await flow.submit(motion.id, { submittedOn: '2019-12-06', procedure: 'immediate' }), 200);
    await waitForReminders(motion.id, 1);
    const before = await flow.get(motion.id);
    const postponed = expectStatus(await plenary(motion.id, 'postponed', '2019-12-20'), 200);
    await expectAnswer(flow, before, postponed);
    expect(postponed.phase).toBe('bundesrat');
    expect(postponed.bundesrat).toMatchObject({
      status: 'submitted',
      plenarySession: null,
      postponements: 1,
    });
    expect(postponed.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison' },
      { action: 'calendar', land: 'BY', role: 'admin' },
    ]);
    expect((await flow.history(motion.id)).filter((e) => e.type === 'plenary_decided').at(-1)?.data).toEqual({
      decision: 'postponed',
      decidedOn: '2019-12-20',
      from: session(984),
      to: null,
    });

    // the admin extends the calendar with a session from today on: the API books it at once
    const next = { number: 1100, date: addDays(today, 14) };
    const put = await flow.putCalendar(extension([next]));
    expect(put.status).toBe(200);
    expect(put.body.at(-1)).toEqual({ ...next, provisional: true, source: 'test: sessions from today on' });
    const booked = await flow.get(motion.id);
    expect(booked.version).toBe(postponed.version + 1);
    expect(booked.bundesrat).toMatchObject({ status: 'submitted', plenarySession: next, postponements: 1 });
    expect(booked.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: anyString },
    ]);
    expect(Date.parse(booked.pendingActions[0]?.dueAt ?? '')).toBeGreaterThan(
      Date.parse(`${next.date}T00:00Z`),
    );
    const event = (await flow.history(motion.id)).at(-1);
    expect(event).toMatchObject({
      type: 'session_booked',
      actor: ACTOR('admin', 'BE', 'admin'),
      data: { plenarySession: next },
    });

    // a future session: no reminder for it, neither before nor after the decision
    const remindedBefore = (await reminders(motion.id)).length;
    const adopted = expectStatus(await plenary(motion.id, 'adopted', next.date), 200);
    expect(adopted.bundesrat).toMatchObject({
      decision: 'adopted',
      decidedOn: next.date,
      forwardingDueOn: addDays(next.date, 42),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const all = await reminders(motion.id);
    expect(all).toHaveLength(remindedBefore);
    expect(all.filter((r) => (r.data.plenarySession as { number: number } | null)?.number === 1100)).toEqual(
      [],
    );
  });

  it('a motion booked on a future session gets no reminder before it', async () => {
    const motion = await flow.toBundesrat();
    const submitted = expectStatus(
      await flow.submit(motion.id, { submittedOn: today, procedure: 'immediate' }),
      200,
    );
    expect(submitted.bundesrat?.plenarySession).toEqual({ number: 1100, date: addDays(today, 14) });
    expect(submitted.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: anyString },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await reminders(motion.id)).toEqual([]);
    expect((await flow.get(motion.id)).version).toBe(submitted.version);
    // close it, so that later calendars may drop session 1100
    await flow.command(motion.id, '/withdrawal', who.proposerBY, { reason: 'Test beendet.' });
  });

  it('after an extension, a motion postponed at today’s session is booked on the next one, not again on today’s', async () => {
    const todays = { number: 1099, date: today };
    expectStatus(await flow.putCalendar(extension([todays])), 200, 'calendar ending today');
    const motion = await flow.toBundesrat();
    const submitted = expectStatus(
      await flow.submit(motion.id, { submittedOn: addDays(today, -14), procedure: 'immediate' }),
      200,
    );
    expect(submitted.bundesrat?.plenarySession).toEqual(todays);
    // the plenary postpones it today; the calendar has nothing after today
    const postponed = expectStatus(await plenary(motion.id, 'postponed', today), 200);
    expect(postponed.bundesrat?.plenarySession).toBeNull();

    const next = { number: 1100, date: addDays(today, 28) };
    expectStatus(await flow.putCalendar(extension([todays, next])), 200, 'extended calendar');
    const booked = await waitForInitiative(
      harness,
      motion.id,
      who.viewer,
      (i) => i.bundesrat?.plenarySession !== null,
      {
        timeoutMs: 5_000,
        what: 'booked again',
      },
    );
    // docs/domain.md: a postponement books the *next* session; today's session already postponed it
    expect(booked.bundesrat?.plenarySession).toEqual(next);
  });
});
