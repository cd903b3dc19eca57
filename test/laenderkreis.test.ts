/**
 * Channel `laenderkreis` end to end on real PostgreSQL and Temporal (docs/laenderkreis.md): creation with a
 * conference, consultation with an invited Land, the `conference` stage (registration, co-applicants,
 * postponement, the decision with votes checked by the conference's rule), the reading rule, the reminder,
 * the booked-session protection of the calendar, the list filter and the stats, and every refusal the
 * spec lists. Each test has a conference of its own (all Länder but TH), so TH is the non-member.
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import {
  ACTOR,
  SYSTEM,
  eventually,
  expectAnswer,
  expectClosedBy,
  expectStatus,
  token,
  useHarness,
  type Problem,
} from './kit/index.js';
import {
  coApply,
  decideConference,
  register,
  testConference,
  toConference,
} from './helpers/laenderkreis-flow.js';

const harness = useHarness();
const { who, flow } = harness;

const CALENDAR = [
  { date: '2030-03-14', number: 1 },
  { date: '2030-06-20', number: 2 },
  { date: '2030-10-24', number: 3 },
];
const as = (land: string, role: string) =>
  token({ sub: `${role}-${land.toLowerCase()}`, land: land as never, roles: [role as never] });

const YES_13 = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN'];

/** A refusal that changed nothing: same version, same resource. */
async function expectUnchanged(before: Initiative) {
  expect(await flow.get(before.id)).toEqual(before);
}

describe('the conference stage', () => {
  it('create → review → consultation with HE → conference → registration → co-applicant → postponed → adopted with votes', async () => {
    const key = await testConference(flow, CALENDAR, { decision: { type: 'min_laender', laender: 13 } });
    const reviewerTH = await as('TH', 'reviewer');
    const reviewerSN = await as('SN', 'reviewer');

    const created = await flow.create({ channel: 'laenderkreis', conference: key, invite: ['HE'] });
    expect(created).toMatchObject({ channel: 'laenderkreis', instrument: null, conference: null });
    // Before the stage: neither a member (SN) nor a non-member (TH) that takes no part reads it.
    expect((await flow.api.get(`/v1/initiatives/${created.id}`, reviewerSN)).status).toBe(404);
    expect((await flow.api.get(`/v1/initiatives/${created.id}`, reviewerTH)).status).toBe(404);

    const consultation = await flow.approveBoth(created.id);
    expect(consultation.phase).toBe('consultation');
    const entered = await flow.command(created.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    expect(entered.phase).toBe('conference');
    expect(entered.conference).toMatchObject({
      key,
      motionKind: 'decision',
      rule: { type: 'min_laender', laender: 13 },
      applicants: ['BY', 'NW', 'HE'],
      status: 'preparing',
      session: null,
      postponements: 0,
    });
    expect(entered.pendingActions).toEqual([{ action: 'register', land: 'BY', role: 'liaison' }]);
    // From the stage on every member reads it (to vote on it); the non-member still gets 404.
    expect((await flow.api.get(`/v1/initiatives/${created.id}`, reviewerSN)).status).toBe(200);
    expect((await flow.api.get(`/v1/initiatives/${created.id}`, reviewerTH)).status).toBe(404);
    expect((await flow.api.get(`/v1/initiatives/${created.id}/history`, reviewerTH)).status).toBe(404);

    // Registered on 2030-02-25: 2030-03-14 lies only 17 days on, so the 21 lead days book 2030-06-20.
    const registered = await register(flow, created.id, { registeredOn: '2030-02-25', top: '7.2' });
    expect(registered.status).toBe(200);
    await expectAnswer(flow, entered, registered.body);
    expect(registered.body.conference).toMatchObject({
      status: 'registered',
      registeredOn: '2030-02-25',
      top: '7.2',
      session: { date: '2030-06-20', number: 2 },
    });
    expect(registered.body.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: expect.any(String) as unknown },
    ]);

    const coApplied = await coApply(flow, created.id, who.cabinetSN);
    expect(coApplied.status).toBe(200);
    await expectAnswer(flow, registered.body, coApplied.body);
    expect(coApplied.body.conference?.applicants).toEqual(['BY', 'NW', 'HE', 'SN']);

    const postponed = await decideConference(flow, created.id, {
      decision: 'postponed',
      decidedOn: '2030-06-20',
    });
    expect(postponed.status).toBe(200);
    await expectAnswer(flow, coApplied.body, postponed.body);
    expect(postponed.body.phase).toBe('conference');
    expect(postponed.body.conference).toMatchObject({
      status: 'registered',
      session: { date: '2030-10-24', number: 3 },
      postponements: 1,
    });

    const adopted = await decideConference(flow, created.id, {
      decision: 'adopted',
      decidedOn: '2030-10-24',
      votes: { yes: YES_13, no: ['ST'], abstain: ['SH'] },
      resolutionNumber: '2030/17',
      protocolDeclarations: [{ land: 'ST', text: 'Sachsen-Anhalt sieht die Finanzierung als offen an.' }],
    });
    await expectClosedBy(flow, postponed.body, adopted, 'adopted', 'conference');
    expect(adopted.body.conference).toMatchObject({
      status: 'decided',
      decision: 'adopted',
      decidedOn: '2030-10-24',
      resolutionNumber: '2030/17',
      votes: { yes: YES_13, no: ['ST'], abstain: ['SH'] },
    });
    expect(adopted.body.pendingActions).toEqual([]);

    const history = await flow.history(created.id);
    expect(history.map((e) => e.type)).toEqual([
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invitation_answered',
      'phase_changed',
      'conference_registered',
      'coapplicant_joined',
      'conference_decided',
      'conference_decided',
      'phase_changed',
    ]);
    expect(history[0]?.data).toMatchObject({
      channel: 'laenderkreis',
      conference: key,
      motionKind: 'decision',
    });
    expect(history.find((e) => e.type === 'coapplicant_joined')).toMatchObject({
      actor: ACTOR('c-sn', 'SN', 'cabinet'),
      data: { conference: key, land: 'SN' },
    });
    expect(history.at(-1)?.data).toEqual({ from: 'conference', to: 'adopted', reason: 'conference' });

    // The list filter and the stats.
    const listed = expectStatus(
      await flow.api.get<{ items: Initiative[] }>(`/v1/initiatives?conference=${key}`, who.viewer),
      200,
    );
    expect(listed.items.map((i) => i.id)).toEqual([created.id]);
    const stats = expectStatus(
      await flow.api.get<{ byChannel: Record<string, number> }>('/v1/stats', who.viewer),
      200,
    );
    expect(stats.byChannel.laenderkreis).toBeGreaterThanOrEqual(1);
  });

  it('a recommendation of a conference with a recommendation rule is decided by that rule', async () => {
    const key = await testConference(flow, CALENDAR, {
      decision: { type: 'unanimous' },
      recommendation: { type: 'majority_of_members' },
    });
    const motion = await toConference(flow, key, { motionKind: 'recommendation' });
    expect(motion.conference).toMatchObject({
      motionKind: 'recommendation',
      rule: { type: 'majority_of_members' },
    });
    await register(flow, motion.id, { registeredOn: '2030-01-02' });
    // 8 of 15 members: a majority, though far from unanimous.
    const adopted = await decideConference(flow, motion.id, {
      decision: 'adopted',
      decidedOn: '2030-03-14',
      votes: { yes: YES_13.slice(0, 8), no: YES_13.slice(8), abstain: [] },
    });
    expect(adopted.status).toBe(200);
    expect(adopted.body.phase).toBe('adopted');
  });

  it('the liaison is reminded when no decision is recorded after the booked session', async () => {
    const key = await testConference(flow, [{ date: '2019-02-01' }, ...CALENDAR]);
    const motion = await toConference(flow, key);
    const registered = await register(flow, motion.id, { registeredOn: '2019-01-02', session: '2019-02-01' });
    expect(registered.status).toBe(200);
    expect(registered.body.conference?.session).toEqual({ date: '2019-02-01' });
    const reminders = await eventually(
      () => flow.history(motion.id),
      (items) => items.some((e) => e.type === 'conference_decision_reminder'),
      { timeoutMs: 15_000, what: 'conference_decision_reminder' },
    );
    expect(reminders.find((e) => e.type === 'conference_decision_reminder')).toMatchObject({
      actor: SYSTEM,
      data: { land: 'BY', conference: key, session: { date: '2019-02-01' } },
    });
  });
});

describe('refusals', () => {
  it('creation: unknown conference, none, instrument, a motion kind without rule, conference fields elsewhere → 400', async () => {
    const key = await testConference(flow, CALENDAR);
    const cases: [Record<string, unknown>, string][] = [
      [{ channel: 'laenderkreis', conference: 'no-such-conference' }, 'body/conference'],
      [{ channel: 'laenderkreis' }, 'body/conference'],
      [{ channel: 'laenderkreis', conference: key, instrument: 'gesetzesantrag' }, 'body/instrument'],
      [{ channel: 'laenderkreis', conference: key, motionKind: 'recommendation' }, 'body/motionKind'],
      [{ channel: 'joint', conference: key }, 'body/conference'],
    ];
    for (const [body, path] of cases) {
      const response = await flow.api.post<Problem>('/v1/initiatives', who.proposerBY, {
        title: 'Länderkreis',
        summary: 'Eine Initiative im Länderkreis.',
        topic: 'egovernment',
        text: '# Antrag\n\nDie Konferenz möge beschließen.',
        ...body,
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors?.map((e) => e.path)).toContain(path);
    }
  });

  it('registration: before the stage, by another Land, no bookable session, a session not in the calendar, a second one → 403/409', async () => {
    const key = await testConference(flow, CALENDAR);
    const created = await flow.create({ channel: 'laenderkreis', conference: key });
    const early = await register(flow, created.id, { registeredOn: '2030-01-02' });
    expect(early.status).toBe(409);

    const motion = await toConference(flow, key);
    expect((await register(flow, motion.id, { registeredOn: '2030-01-02' }, who.liaisonNW)).status).toBe(403);
    const none = await register(flow, motion.id, { registeredOn: '2030-10-04' });
    expect(none.status).toBe(409);
    expect(none.body.detail).toContain('no session on or after 2030-10-25');
    expect(
      (await register(flow, motion.id, { registeredOn: '2030-01-02', session: '2030-03-15' })).status,
    ).toBe(409);
    expect(
      (await register(flow, motion.id, { registeredOn: '2030-04-01', session: '2030-03-14' })).status,
    ).toBe(409);
    // A decision before the registration.
    expect(
      (await decideConference(flow, motion.id, { decision: 'adopted', decidedOn: '2030-03-14' })).status,
    ).toBe(409);
    await expectUnchanged(motion);

    // A named session needs no lead days.
    const registered = await register(flow, motion.id, { registeredOn: '2030-03-01', session: '2030-03-14' });
    expect(registered.status).toBe(200);
    expect(registered.body.conference?.session).toEqual({ date: '2030-03-14', number: 1 });
    const second = await register(flow, motion.id, { registeredOn: '2030-03-02' });
    expect(second.status).toBe(409);
    await expectUnchanged(registered.body);
  });

  it('co-applicants: a non-member → 403, a partner or an applicant → 409', async () => {
    const key = await testConference(flow, CALENDAR);
    const motion = await toConference(flow, key);
    const cabinetTH = await as('TH', 'cabinet');
    const nonMember = await coApply(flow, motion.id, cabinetTH);
    // TH is no member: it does not even read the initiative.
    expect(nonMember.status).toBe(404);
    expect((await coApply(flow, motion.id, who.cabinetBY)).status).toBe(409);
    expect((await coApply(flow, motion.id, who.cabinetHE)).status).toBe(409);
    await expectUnchanged(motion);
  });

  it('a co-applicant whose Land reads the initiative but is no member → 403', async () => {
    // TH takes part (invited, joined) but the conference's members leave TH out.
    const key = await testConference(flow, CALENDAR);
    const created = await flow.create({ channel: 'laenderkreis', conference: key, invite: ['TH'] });
    await flow.command(created.id, '/invitations/TH', who.reviewerTH, { decision: 'join' });
    const motion = await flow.approveBoth(created.id);
    expect(motion.phase).toBe('conference');
    expect(motion.conference?.applicants).toEqual(['BY', 'NW', 'TH']);
    const refused = await coApply(flow, motion.id, who.cabinetTH);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('TH is not a member');
    await expectUnchanged(motion);
  });

  it('votes: non-members, a member twice, the Bund without a vote, an outcome the rule contradicts → 400, nothing changes', async () => {
    const key = await testConference(flow, CALENDAR, { decision: { type: 'min_laender', laender: 13 } });
    const motion = await toConference(flow, key);
    const registered = await flow.command(motion.id, '/conference/registration', who.liaisonBY, {
      registeredOn: '2030-01-02',
    });
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { decision: 'adopted', votes: { yes: ['TH'], no: [], abstain: [] } },
        'body/votes/yes/0',
        'TH is not a member',
      ],
      [
        { decision: 'rejected', votes: { yes: ['BY'], no: ['BY'], abstain: [] } },
        'body/votes/no/0',
        'already voted',
      ],
      [
        { decision: 'rejected', votes: { yes: ['BUND'], no: [], abstain: [] } },
        'body/votes/yes/0',
        'the Bund has no vote',
      ],
      [
        { decision: 'adopted', votes: { yes: YES_13.slice(0, 12), no: ['ST'], abstain: [] } },
        'body/votes',
        'at least 13 Länder; 12 voted yes',
      ],
      [{ decision: 'rejected', votes: { yes: YES_13, no: [], abstain: [] } }, 'body/votes', '13 voted yes'],
      [
        {
          decision: 'adopted',
          votes: { yes: YES_13, no: [], abstain: [] },
          protocolDeclarations: [{ land: 'TH', text: 'x' }],
        },
        'body/protocolDeclarations/0/land',
        'TH is not a member',
      ],
    ];
    for (const [body, path, message] of cases) {
      const response = await decideConference(flow, motion.id, { decidedOn: '2030-03-14', ...body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors).toContainEqual({
        path,
        message: expect.stringContaining(message) as unknown,
      });
    }
    await expectUnchanged(registered);
  });

  it('the Königsteiner Schlüssel decides a binding IT-PLR-like decision', async () => {
    const key = await testConference(flow, CALENDAR, {
      members: [
        'BW',
        'BY',
        'BE',
        'BB',
        'HB',
        'HH',
        'HE',
        'MV',
        'NI',
        'NW',
        'RP',
        'SL',
        'SN',
        'ST',
        'SH',
        'TH',
      ],
      bund: true,
      decision: { type: 'bund_and_min_laender', laender: 11, koenigsteinShare: 0.6667 },
    });
    const motion = await toConference(flow, key);
    await flow.command(motion.id, '/conference/registration', who.liaisonBY, { registeredOn: '2030-01-02' });
    // The 11 smallest shares are far from two thirds.
    const small = ['BB', 'HB', 'HH', 'MV', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH', 'BE'];
    const refused = await decideConference(flow, motion.id, {
      decision: 'adopted',
      decidedOn: '2030-03-14',
      votes: { yes: ['BUND', ...small], no: ['BY', 'NW', 'BW', 'NI', 'HE'], abstain: [] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]).toMatchObject({ path: 'body/votes' });
    expect(refused.body.errors?.[0]?.message).toContain('Königsteiner Schlüssel 2016');
    const rejected = await decideConference(flow, motion.id, {
      decision: 'rejected',
      decidedOn: '2030-03-14',
      votes: { yes: ['BUND', ...small], no: ['BY', 'NW', 'BW', 'NI', 'HE'], abstain: [] },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.outcome).toMatchObject({ result: 'rejected', reason: 'conference' });
  });
});

describe('the calendar', () => {
  it('a booked session cannot be moved or dropped (409, nothing changes); past the end the admin extends it', async () => {
    const key = await testConference(flow, CALENDAR);
    const motion = await toConference(flow, key);
    await flow.command(motion.id, '/conference/registration', who.liaisonBY, {
      registeredOn: '2030-10-01',
      session: '2030-10-24',
    });
    const moved = await flow.api.request<Problem>('PUT', `/v1/conferences/${key}/sessions`, {
      token: who.admin,
      body: [
        ...CALENDAR.slice(0, 2).map((s) => ({ ...s, source: 'x' })),
        { date: '2030-10-25', number: 3, source: 'x' },
      ],
    });
    expect(moved.status).toBe(409);
    expect(moved.body.detail).toContain(motion.id);
    const unchanged = await flow.api.get<{ date: string }[]>(`/v1/conferences/${key}/sessions`, who.viewer);
    expect(unchanged.body.map((s) => s.date)).toEqual(CALENDAR.map((s) => s.date));

    // Postponed at the last session: no session left, the admin is asked to extend the calendar.
    const postponed = await decideConference(flow, motion.id, {
      decision: 'postponed',
      decidedOn: '2030-10-24',
    });
    expect(postponed.status).toBe(200);
    expect(postponed.body.conference?.session).toBeNull();
    expect(postponed.body.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison' },
      { action: 'calendar', land: 'BY', role: 'admin' },
    ]);
    const tasks = expectStatus(
      await flow.api.get<{ items: { action: string; initiativeId: string }[] }>('/v1/tasks', who.admin),
      200,
    );
    expect(tasks.items).toContainEqual(
      expect.objectContaining({ action: 'calendar', initiativeId: motion.id }),
    );

    const extended = await flow.api.request('PUT', `/v1/conferences/${key}/sessions`, {
      token: who.admin,
      body: [...CALENDAR, { date: '2031-03-13', number: 4 }].map((s) => ({ ...s, source: 'x' })),
    });
    expect(extended.status).toBe(200);
    const booked = await eventually(
      () => flow.get(motion.id),
      (initiative) => initiative.conference?.session?.date === '2031-03-13',
      { timeoutMs: 15_000, what: 'the booking on the extended calendar' },
    );
    expect(booked.pendingActions).toEqual([
      { action: 'decide', land: 'BY', role: 'liaison', dueAt: expect.any(String) as unknown },
    ]);
    expect((await flow.history(motion.id)).at(-1)).toMatchObject({
      type: 'conference_session_booked',
      actor: ACTOR('admin', 'BE', 'admin'),
      data: { conference: key, session: { date: '2031-03-13', number: 4 } },
    });
  });
});
