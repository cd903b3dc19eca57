/**
 * Third Länder: invitations at creation and later, answers (join, decline, no answer in time), who may
 * invite and answer, who may read, and the consultation wait after both partners approved.
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import {
  ACTOR,
  containing,
  expectStatus,
  expectAnswer,
  type Problem,
  SYSTEM,
  useHarness,
  waitForInitiative,
} from './kit/index.js';

const harness = useHarness();
const { who, flow } = harness;

const invitationOf = (initiative: Initiative, land: string) =>
  initiative.invitations.find((i) => i.land === land);
const roleOf = (initiative: Initiative, land: string) =>
  initiative.participants.find((p) => p.land === land)?.role;

const baseBody = {
  title: 'Digitale Schulbücher',
  summary: 'Gemeinsame Beschaffung digitaler Lehrmittel.',
  topic: 'education',
  channel: 'joint',
};

describe('inviting', () => {
  it('at creation: the invited Land is a participant with a pending invitation and a respond action', async () => {
    const created = await flow.create({ invite: ['HE', 'TH'] });
    expect(created.participants).toEqual([
      { land: 'BY', role: 'partner' },
      { land: 'NW', role: 'partner' },
      { land: 'HE', role: 'invited' },
      { land: 'TH', role: 'invited' },
    ]);
    expect(created.invitations.map((i) => [i.land, i.status])).toEqual([
      ['HE', 'pending'],
      ['TH', 'pending'],
    ]);
    for (const invitation of created.invitations) {
      expect(invitation.invitedAt).toBe(created.createdAt);
      expect(invitation.answeredAt).toBeUndefined();
      // the default INVITATION_PERIOD of 14 days (ending at 24:00 Berlin, maybe rolled to a working day)
      const days = (Date.parse(invitation.dueAt ?? '') - Date.parse(created.createdAt)) / 86_400_000;
      expect(days).toBeGreaterThan(13.9);
      expect(days).toBeLessThan(19);
    }
    expect(created.pendingActions).toEqual(
      expect.arrayContaining([
        { action: 'respond', land: 'HE', role: 'reviewer', dueAt: invitationOf(created, 'HE')?.dueAt },
        { action: 'respond', land: 'TH', role: 'reviewer', dueAt: invitationOf(created, 'TH')?.dueAt },
      ]),
    );
    const [event] = await flow.history(created.id);
    expect(event?.type).toBe('initiative_created');
    expect(event?.data.invite).toEqual(['HE', 'TH']);
    expect(event?.actor).toEqual(ACTOR('p-by', 'BY', 'proposer'));
  });

  it('later: a partner reviewer and a partner proposer invite via POST /invitations', async () => {
    const created = await flow.create({}, who.proposerNW);
    expect(created.invitations).toEqual([]);

    const byReviewer = await flow.command(created.id, '/invitations', who.reviewerBY, {
      lands: ['HE'],
      comment: 'Hessen betreibt bereits eine KI-Testumgebung.',
    });
    await expectAnswer(flow, created, byReviewer);
    expect(byReviewer.phase).toBe('review');
    expect(invitationOf(byReviewer, 'HE')).toMatchObject({ status: 'pending' });
    expect(invitationOf(byReviewer, 'HE')?.dueAt).toEqual(expect.any(String));
    expect(roleOf(byReviewer, 'HE')).toBe('invited');

    // any partner proposer may invite, not only the initiative's own (here: a BY proposer on an NW initiative)
    const byProposer = await flow.command(created.id, '/invitations', who.proposerBY2, {
      lands: ['TH', 'SN'],
    });
    await expectAnswer(flow, byReviewer, byProposer);
    expect(byProposer.invitations.map((i) => [i.land, i.status])).toEqual([
      ['HE', 'pending'],
      ['TH', 'pending'],
      ['SN', 'pending'],
    ]);
    expect(byProposer.participants.map((p) => `${p.land}:${p.role}`)).toEqual([
      'BY:partner',
      'NW:partner',
      'HE:invited',
      'TH:invited',
      'SN:invited',
    ]);
    expect(byProposer.pendingActions.filter((a) => a.action === 'respond').map((a) => a.land)).toEqual([
      'HE',
      'TH',
      'SN',
    ]);

    const history = await flow.history(created.id);
    expect(history.map((e) => e.type)).toEqual(['initiative_created', 'invited', 'invited']);
    expect(history[1]).toMatchObject({
      actor: ACTOR('r-by', 'BY', 'reviewer'),
      data: { lands: ['HE'], comment: 'Hessen betreibt bereits eine KI-Testumgebung.' },
    });
    expect(history[2]).toMatchObject({
      actor: ACTOR('p-by-2', 'BY', 'proposer'),
      data: { lands: ['TH', 'SN'] },
    });
  });

  it('refuses partners (400), Länder already invited (409), third Länder and other roles (403)', async () => {
    expect(
      (await harness.post('/v1/initiatives', who.proposerBY, { ...baseBody, invite: ['HE', 'NW'] })).status,
    ).toBe(400);

    const created = await flow.create({ invite: ['HE'] });
    const partner = await flow.post(created.id, '/invitations', who.reviewerBY, { lands: ['TH', 'NW'] });
    expect(partner.status).toBe(400);
    expect(partner.body.errors).toEqual([{ path: 'body/lands', message: containing('NW') }]);

    const again = await flow.post(created.id, '/invitations', who.proposerBY, { lands: ['TH', 'HE'] });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('HE');

    // a third Land (even an invited one that reads the initiative) does not invite
    expect((await flow.post(created.id, '/invitations', who.reviewerHE, { lands: ['TH'] })).status).toBe(403);
    expect((await flow.post(created.id, '/invitations', who.cabinetBY, { lands: ['TH'] })).status).toBe(403);
    expect((await flow.post(created.id, '/invitations', who.viewer, { lands: ['TH'] })).status).toBe(403);
    // a Land that cannot read the initiative learns nothing about it
    expect((await flow.post(created.id, '/invitations', who.reviewerSN, { lands: ['TH'] })).status).toBe(404);

    // nothing of the refused commands happened: TH was never invited, the version did not move
    const after = await flow.get(created.id);
    expect(after.version).toBe(created.version);
    expect(after.invitations.map((i) => i.land)).toEqual(['HE']);
    expect(await flow.commandTypes(created.id)).toEqual(['initiative_created']);
  });

  it('refuses invitations from the cabinet phase on (409) and on closed initiatives (409)', async () => {
    const [cabinet, bundesrat, closed] = await Promise.all([
      flow.toCabinet(),
      flow.toBundesrat(),
      flow.create(),
    ]);
    const fromCabinet = await flow.post(cabinet.id, '/invitations', who.proposerBY, { lands: ['HE'] });
    expect(fromCabinet.status).toBe(409);
    expect(fromCabinet.body.detail).toMatch(/accede/);
    const fromBundesrat = await flow.post(bundesrat.id, '/invitations', who.reviewerNW, { lands: ['HE'] });
    expect(fromBundesrat.status).toBe(409);
    expect((await flow.get(bundesrat.id)).version).toBe(bundesrat.version);

    await flow.command(closed.id, '/withdrawal', who.proposerBY, { reason: 'Überholt.' });
    expect((await flow.post(closed.id, '/invitations', who.proposerBY, { lands: ['HE'] })).status).toBe(409);
    expect((await flow.get(cabinet.id)).invitations).toEqual([]);
  });
});

describe('closing', () => {
  it('a withdrawal closes pending invitations as no_response; answered ones keep their answer', async () => {
    const created = await flow.create({ invite: ['HE', 'TH'] });
    await flow.command(created.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    const withdrawn = await flow.command(created.id, '/withdrawal', who.proposerBY, { reason: 'Überholt.' });
    expect(withdrawn.phase).toBe('withdrawn');
    expect(invitationOf(withdrawn, 'TH')?.status).toBe('no_response');
    expect(invitationOf(withdrawn, 'TH')?.dueAt).toBeUndefined();
    expect(roleOf(withdrawn, 'TH')).toBe('no_response');
    expect(invitationOf(withdrawn, 'HE')?.status).toBe('joined');
    expect(withdrawn.pendingActions).toEqual([]);
    expect(await flow.get(created.id)).toEqual(withdrawn);
    const late = await flow.post(created.id, '/invitations/TH', who.reviewerTH, { decision: 'join' });
    expect(late.status).toBe(409);
  });
});

describe('answering', () => {
  it('join and decline: invitation status, answeredAt, participant role, audit event', async () => {
    const created = await flow.create({ invite: ['HE', 'TH'] });
    const joined = await flow.command(created.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    await expectAnswer(flow, created, joined);
    expect(invitationOf(joined, 'HE')).toMatchObject({ status: 'joined', answeredAt: joined.updatedAt });
    expect(invitationOf(joined, 'HE')?.dueAt).toBeUndefined();
    expect(roleOf(joined, 'HE')).toBe('joined');
    expect(joined.phase).toBe('review');

    const declined = await flow.command(created.id, '/invitations/TH', who.reviewerTH, {
      decision: 'decline',
      comment: 'Keine Kapazitäten in diesem Jahr.',
    });
    await expectAnswer(flow, joined, declined);
    expect(invitationOf(declined, 'TH')).toMatchObject({
      status: 'declined',
      answeredAt: declined.updatedAt,
    });
    expect(roleOf(declined, 'TH')).toBe('declined');
    expect(declined.participants.map((p) => `${p.land}:${p.role}`)).toEqual([
      'BY:partner',
      'NW:partner',
      'HE:joined',
      'TH:declined',
    ]);
    expect(declined.pendingActions.map((a) => a.action)).toEqual(['review', 'review']);

    const history = await flow.history(created.id);
    expect(history.map((e) => e.type)).toEqual([
      'initiative_created',
      'invitation_answered',
      'invitation_answered',
    ]);
    expect(history[1]).toMatchObject({
      actor: ACTOR('r-he', 'HE', 'reviewer'),
      data: { land: 'HE', decision: 'joined' },
    });
    expect(history[2]).toMatchObject({
      actor: ACTOR('r-th', 'TH', 'reviewer'),
      data: { land: 'TH', decision: 'declined', comment: 'Keine Kapazitäten in diesem Jahr.' },
    });

    // an answer is final
    const twice = await flow.post(created.id, '/invitations/HE', who.reviewerHE, { decision: 'decline' });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain('joined');
  });

  it('only a reviewer of the invited Land answers (403 for others, 404 for outsiders)', async () => {
    const created = await flow.create({ invite: ['HE', 'TH'] });
    const path = '/invitations/HE';
    const body = { decision: 'join' };
    // a reviewer of another Land: a partner, and another invited Land
    expect((await flow.post(created.id, path, who.reviewerBY, body)).status).toBe(403);
    expect((await flow.post(created.id, path, who.reviewerTH, body)).status).toBe(403);
    // readers without the reviewer role
    expect((await flow.post(created.id, path, who.viewer, body)).status).toBe(403);
    expect((await flow.post(created.id, path, who.cabinetHE, body)).status).toBe(403);
    expect((await flow.post(created.id, path, who.proposerHE, body)).status).toBe(403);
    // SN cannot read it: not found, also for its own "invitation"
    expect((await flow.post(created.id, path, who.reviewerSN, body)).status).toBe(404);
    expect((await flow.post(created.id, '/invitations/SN', who.reviewerSN, body)).status).toBe(404);
    // invalid answers are 400 before anything else
    expect((await flow.post(created.id, path, who.reviewerHE, { decision: 'maybe' })).status).toBe(400);

    const after = await flow.get(created.id);
    expect(after.version).toBe(created.version);
    expect(invitationOf(after, 'HE')?.status).toBe('pending');
  });
});

describe('who reads', () => {
  it('an invited Land reads the initiative; an uninvited one gets 404 until it is invited', async () => {
    const created = await flow.create({ invite: ['HE'] });
    const he = await harness.get<Initiative>(`/v1/initiatives/${created.id}`, who.reviewerHE);
    expect(he.status).toBe(200);
    expect(he.body.id).toBe(created.id);
    expect((await harness.get(`/v1/initiatives/${created.id}/history`, who.reviewerHE)).status).toBe(200);

    const sn = await harness.get<Problem>(`/v1/initiatives/${created.id}`, who.reviewerSN);
    expect(sn.status).toBe(404);
    expect((await harness.get(`/v1/initiatives/${created.id}/history`, who.reviewerSN)).status).toBe(404);
    const list = expectStatus(
      await harness.get<{ items: Initiative[] }>('/v1/initiatives?limit=100', who.reviewerSN),
      200,
    );
    expect(list.items.map((i) => i.id)).not.toContain(created.id);

    await flow.command(created.id, '/invitations', who.reviewerNW, { lands: ['SN'] });
    expect((await harness.get(`/v1/initiatives/${created.id}`, who.reviewerSN)).status).toBe(200);
  });
});

describe('consultation', () => {
  it('joint: both approve while an invitation is pending → consultation; the answers → adopted', async () => {
    const created = await flow.create({ invite: ['HE'] });
    await flow.command(created.id, '/reviews', who.reviewerNW, { decision: 'approve' });
    const waiting = await flow.command(created.id, '/reviews', who.reviewerBY, { decision: 'approve' });
    expect(waiting.phase).toBe('consultation');
    expect(waiting.outcome).toBeNull();
    expect(waiting.pendingActions).toEqual([
      { action: 'respond', land: 'HE', role: 'reviewer', dueAt: invitationOf(waiting, 'HE')?.dueAt },
    ]);

    // consultation still admits invitations; the initiative waits for every answer
    const more = await flow.command(created.id, '/invitations', who.proposerBY, { lands: ['TH'] });
    expect(more.phase).toBe('consultation');
    expect(more.pendingActions.map((a) => `${a.action}:${a.land}`)).toEqual(['respond:HE', 'respond:TH']);

    const oneLeft = await flow.command(created.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    await expectAnswer(flow, more, oneLeft);
    expect(oneLeft.phase).toBe('consultation');
    expect(oneLeft.pendingActions.map((a) => `${a.action}:${a.land}`)).toEqual(['respond:TH']);

    const adopted = await flow.command(created.id, '/invitations/TH', who.reviewerTH, {
      decision: 'decline',
    });
    await expectAnswer(flow, oneLeft, adopted);
    expect(adopted.phase).toBe('adopted');
    expect(adopted.outcome).toMatchObject({ result: 'adopted', reason: 'joint_approval' });
    expect(adopted.pendingActions).toEqual([]);
    expect(adopted.bundesrat).toBeNull();

    const history = await flow.history(created.id);
    expect(history.map((e) => e.type)).toEqual([
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invited',
      'invitation_answered',
      'invitation_answered',
      'phase_changed',
    ]);
    expect(history[3]?.data).toEqual({ from: 'review', to: 'consultation' });
    expect(history[7]?.data).toEqual({ from: 'consultation', to: 'adopted', reason: 'joint_approval' });
    expect(history[7]?.actor).toEqual(ACTOR('r-th', 'TH', 'reviewer'));
  });

  it('bundesrat: joining ends the consultation → cabinet with the joined Land among the applicants', async () => {
    const created = await flow.motion({ instrument: 'entschliessungsantrag', invite: ['HE', 'TH'] });
    await flow.command(created.id, '/invitations/TH', who.reviewerTH, { decision: 'decline' });
    const waiting = await flow.approveBoth(created.id);
    expect(waiting.phase).toBe('consultation');
    expect(waiting.bundesrat).toBeNull();
    expect(waiting.pendingActions).toEqual([expect.objectContaining({ action: 'respond', land: 'HE' })]);

    const cabinet = await flow.command(created.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    await expectAnswer(flow, waiting, cabinet);
    expect(cabinet.phase).toBe('cabinet');
    expect(cabinet.bundesrat).toMatchObject({
      applicants: ['BY', 'NW', 'HE'],
      status: 'preparing',
      plenarySession: null,
      postponements: 0,
    });
    expect(cabinet.cabinetDecisions).toEqual([
      { land: 'BY', status: 'pending' },
      { land: 'NW', status: 'pending' },
      { land: 'HE', status: 'pending' },
    ]);
    expect(cabinet.pendingActions).toEqual([
      { action: 'cabinet', land: 'BY', role: 'cabinet' },
      { action: 'cabinet', land: 'NW', role: 'cabinet' },
      { action: 'cabinet', land: 'HE', role: 'cabinet' },
    ]);
    expect(cabinet.participants.map((p) => `${p.land}:${p.role}`)).toEqual([
      'BY:partner',
      'NW:partner',
      'HE:joined',
      'TH:declined',
    ]);
    const history = await flow.history(created.id);
    expect(history.slice(-2).map((e) => [e.type, e.data])).toEqual([
      ['invitation_answered', { land: 'HE', decision: 'joined' }],
      ['phase_changed', { from: 'consultation', to: 'cabinet' }],
    ]);
  });
});

// Timer-driven answers: the two wait on their own clocks, so they run side by side.
describe.concurrent('invitation deadlines', () => {
  it('no answer within periods.invitation → no_response (system), the Land stays a reader', async ({
    expect,
  }) => {
    const created = await flow.create({ invite: ['HE'], periods: { invitation: 'PT3S' } });
    const due = Date.parse(invitationOf(created, 'HE')?.dueAt ?? '');
    expect(due - Date.parse(created.createdAt)).toBeGreaterThanOrEqual(2_900);
    expect(due - Date.parse(created.createdAt)).toBeLessThan(4_000);

    const lapsed = await waitForInitiative(
      harness,
      created.id,
      who.viewer,
      (i) => invitationOf(i, 'HE')?.status === 'no_response',
      { timeoutMs: 20_000, what: 'HE no_response' },
    );
    expect(lapsed.version).toBe(created.version + 1);
    expect(invitationOf(lapsed, 'HE')?.dueAt).toBeUndefined();
    expect(roleOf(lapsed, 'HE')).toBe('no_response');
    expect(lapsed.phase).toBe('review');
    expect(lapsed.pendingActions.map((a) => a.action)).toEqual(['review', 'review']);
    const history = await flow.history(created.id);
    expect(history.map((e) => e.type)).toEqual(['initiative_created', 'invitation_no_response']);
    expect(history[1]?.actor).toEqual(SYSTEM);
    expect(history[1]?.data).toMatchObject({ land: 'HE' });

    const late = await flow.post(created.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('no_response');
    expect((await harness.get(`/v1/initiatives/${created.id}`, who.reviewerHE)).status).toBe(200);
  });

  it('no answer in time also ends the consultation (system actor)', async ({ expect }) => {
    const created = await flow.create({ invite: ['HE'], periods: { invitation: 'PT6S' } });
    const waiting = await flow.approveBoth(created.id);
    expect(waiting.phase).toBe('consultation');
    const adopted = await waitForInitiative(harness, created.id, who.viewer, (i) => i.phase === 'adopted', {
      timeoutMs: 20_000,
      what: 'adopted after no_response',
    });
    expect(adopted.outcome).toMatchObject({ result: 'adopted', reason: 'joint_approval' });
    expect(invitationOf(adopted, 'HE')?.status).toBe('no_response');
    const history = await flow.history(created.id);
    expect(history.slice(-2).map((e) => [e.type, e.actor])).toEqual([
      ['invitation_no_response', SYSTEM],
      ['phase_changed', SYSTEM],
    ]);
  });
});
