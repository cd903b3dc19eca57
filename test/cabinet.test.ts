/**
 * The cabinet phase of a Bundesrat motion: each applicant's cabinet (Kabinettsbeschluss) approves or
 * declines; a partner's decline rejects the motion, a joined Land's decline only removes it from the
 * applicants; once every remaining applicant approved the motion enters the bundesrat phase.
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { ACTOR, expectAnswer, expectClosedBy, type Problem, useHarness } from './kit/index.js';

const harness = useHarness();
const { who, flow } = harness;

const decide = (id: string, as: string, decision: 'approve' | 'decline', decidedOn = '2019-01-22') =>
  flow.post(id, '/cabinet-decisions', as, { decision, decidedOn });
const approve = async (id: string, as: string, decidedOn?: string) => {
  const response = await decide(id, as, 'approve', decidedOn);
  if (response.status !== 200)
    throw new Error(`cabinet: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Initiative;
};

describe('cabinet decisions', () => {
  it('both partners approve → bundesrat (preparing), readable by every principal from then on', async () => {
    const cabinet = await flow.toCabinet();
    expect(cabinet.cabinetDecisions).toEqual([
      { land: 'BY', status: 'pending' },
      { land: 'NW', status: 'pending' },
    ]);
    expect((await harness.get(`/v1/initiatives/${cabinet.id}`, who.reviewerSN)).status).toBe(404);

    const first = await approve(cabinet.id, who.cabinetNW, '2019-01-22');
    await expectAnswer(flow, cabinet, first);
    expect(first.phase).toBe('cabinet');
    expect(first.cabinetDecisions).toEqual([
      { land: 'BY', status: 'pending' },
      {
        land: 'NW',
        status: 'approved',
        decidedOn: '2019-01-22',
        by: { sub: 'c-nw', name: 'Staatskanzlei NRW' },
      },
    ]);
    expect(first.pendingActions).toEqual([{ action: 'cabinet', land: 'BY', role: 'cabinet' }]);

    const second = await approve(cabinet.id, who.cabinetBY, '2019-01-29');
    await expectAnswer(flow, first, second);
    expect(second.phase).toBe('bundesrat');
    expect(second.cabinetDecisions.map((d) => [d.land, d.status, d.decidedOn])).toEqual([
      ['BY', 'approved', '2019-01-29'],
      ['NW', 'approved', '2019-01-22'],
    ]);
    expect(second.bundesrat).toMatchObject({
      applicants: ['BY', 'NW'],
      status: 'preparing',
      plenarySession: null,
      postponements: 0,
    });
    expect(Date.parse(second.bundesrat?.enteredAt ?? '')).toBe(Date.parse(second.updatedAt));
    expect(second.pendingActions).toEqual([{ action: 'submit', land: 'BY', role: 'liaison' }]);

    // a Bundesrat motion is public: a Land that never took part reads it now
    expect((await harness.get(`/v1/initiatives/${cabinet.id}`, who.reviewerSN)).status).toBe(200);

    const history = await flow.history(cabinet.id);
    expect(history.slice(-3).map((e) => [e.type, e.data])).toEqual([
      ['cabinet_decided', { land: 'NW', decision: 'approved', decidedOn: '2019-01-22' }],
      ['cabinet_decided', { land: 'BY', decision: 'approved', decidedOn: '2019-01-29' }],
      ['phase_changed', { from: 'cabinet', to: 'bundesrat' }],
    ]);
    expect(history.at(-2)?.actor).toEqual(ACTOR('c-by', 'BY', 'cabinet'));
  });

  it("a partner's decline → rejected (reason cabinet); nothing changes afterwards", async () => {
    const cabinet = await flow.toCabinet();
    await approve(cabinet.id, who.cabinetBY);
    const before = await flow.get(cabinet.id);
    const declined = await decide(cabinet.id, who.cabinetNW, 'decline', '2019-01-23');
    await expectClosedBy(flow, before, declined, 'rejected', 'cabinet');
    expect(declined.body.cabinetDecisions.find((d) => d.land === 'NW')).toMatchObject({
      status: 'declined',
      decidedOn: '2019-01-23',
    });
    expect(declined.body.pendingActions).toEqual([]);
    // it never entered the bundesrat phase, so it stays private
    expect(declined.body.bundesrat?.enteredAt).toBeUndefined();
    expect((await harness.get(`/v1/initiatives/${cabinet.id}`, who.reviewerSN)).status).toBe(404);

    expect((await flow.commandTypes(cabinet.id)).slice(-3)).toEqual([
      'cabinet_decided',
      'cabinet_decided',
      'phase_changed',
    ]);
    expect((await flow.history(cabinet.id)).at(-1)?.data).toEqual({
      from: 'cabinet',
      to: 'rejected',
      reason: 'cabinet',
    });
    expect((await decide(cabinet.id, who.cabinetNW, 'approve')).status).toBe(409);
  });

  it("a joined Land's decline removes it from the applicants; the partners' approvals → bundesrat", async () => {
    const cabinet = await flow.toCabinet({}, ['HE']);
    expect(cabinet.bundesrat?.applicants).toEqual(['BY', 'NW', 'HE']);
    expect(cabinet.cabinetDecisions.map((d) => d.land)).toEqual(['BY', 'NW', 'HE']);

    const declined = await decide(cabinet.id, who.cabinetHE, 'decline');
    expect(declined.status).toBe(200);
    await expectAnswer(flow, cabinet, declined.body);
    expect(declined.body.phase).toBe('cabinet');
    expect(declined.body.bundesrat?.applicants).toEqual(['BY', 'NW']);
    expect(declined.body.participants.find((p) => p.land === 'HE')?.role).toBe('declined');
    expect(declined.body.cabinetDecisions.find((d) => d.land === 'HE')).toMatchObject({ status: 'declined' });
    expect(declined.body.pendingActions.map((a) => `${a.action}:${a.land}`)).toEqual([
      'cabinet:BY',
      'cabinet:NW',
    ]);

    // it no longer applies: a second decision is refused
    const again = await decide(cabinet.id, who.cabinetHE, 'approve');
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('HE is not an applicant of this motion.');

    await approve(cabinet.id, who.cabinetBY);
    const bundesrat = await approve(cabinet.id, who.cabinetNW);
    expect(bundesrat.phase).toBe('bundesrat');
    expect(bundesrat.bundesrat?.applicants).toEqual(['BY', 'NW']);
    expect(bundesrat.participants.find((p) => p.land === 'HE')?.role).toBe('declined');
  });

  it("when the joined Land declines last, the partners' approvals already suffice → bundesrat", async () => {
    const cabinet = await flow.toCabinet({}, ['HE']);
    await approve(cabinet.id, who.cabinetBY);
    const waiting = await approve(cabinet.id, who.cabinetNW);
    expect(waiting.phase).toBe('cabinet');
    expect(waiting.pendingActions).toEqual([{ action: 'cabinet', land: 'HE', role: 'cabinet' }]);
    const declined = await decide(cabinet.id, who.cabinetHE, 'decline');
    expect(declined.status).toBe(200);
    expect(declined.body.phase).toBe('bundesrat');
    expect(declined.body.bundesrat?.applicants).toEqual(['BY', 'NW']);
    expect((await flow.commandTypes(cabinet.id)).slice(-2)).toEqual(['cabinet_decided', 'phase_changed']);
  });

  it('all three applicants approve → bundesrat with the joined Land as applicant', async () => {
    const cabinet = await flow.toCabinet({}, ['HE']);
    await Promise.all([approve(cabinet.id, who.cabinetHE), approve(cabinet.id, who.cabinetBY)]);
    const bundesrat = await approve(cabinet.id, who.cabinetNW);
    expect(bundesrat.phase).toBe('bundesrat');
    expect(bundesrat.bundesrat?.applicants).toEqual(['BY', 'NW', 'HE']);
    expect(bundesrat.cabinetDecisions.every((d) => d.status === 'approved')).toBe(true);
    expect(bundesrat.participants.find((p) => p.land === 'HE')?.role).toBe('joined');
  });
});

describe('cabinet refusals', () => {
  it('a decision twice → 409, and the first one stands', async () => {
    const cabinet = await flow.toCabinet();
    const first = await approve(cabinet.id, who.cabinetBY, '2019-01-22');
    const twice = await decide(cabinet.id, who.cabinetBY, 'decline', '2019-01-30');
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain('approved');
    const after = await flow.get(cabinet.id);
    expect(after.version).toBe(first.version);
    expect(after.cabinetDecisions.find((d) => d.land === 'BY')).toMatchObject({
      status: 'approved',
      decidedOn: '2019-01-22',
    });
  });

  it('a decision before the cabinet phase → 409 (review, consultation, joint channel)', async () => {
    const [review, consultation, joint] = await Promise.all([
      flow.motion(),
      flow.motion({ invite: ['HE'] }),
      flow.create(),
    ]);
    await flow.approveBoth(consultation.id);
    await flow.approveBoth(joint.id); // joint → adopted
    for (const id of [review.id, consultation.id]) {
      const early = await decide(id, who.cabinetBY, 'approve');
      expect(early.status).toBe(409);
      expect(early.body.detail).toMatch(/phase cabinet/);
    }
    expect((await decide(joint.id, who.cabinetNW, 'approve')).status).toBe(409);
    expect((await flow.get(review.id)).version).toBe(review.version);
  });

  it('cabinets of Länder that are not applicants: 404 unreadable, 409 no longer/not applying, 403 never took part', async () => {
    // TH declined its invitation: it reads the motion but does not apply
    const cabinet = await flow.motion({ invite: ['TH'] });
    await flow.command(cabinet.id, '/invitations/TH', who.reviewerTH, { decision: 'decline' });
    await flow.approveBoth(cabinet.id);

    // SN never took part and cannot read the motion in phase cabinet: 404 (existence not disclosed)
    expect((await decide(cabinet.id, who.cabinetSN, 'approve')).status).toBe(404);
    // TH takes part (declined participant): the API lets it through, the workflow finds no applicant: 409
    const th = await decide(cabinet.id, who.cabinetTH, 'approve');
    expect(th.status).toBe(409);
    expect(th.body.detail).toContain('not an applicant');
    // a principal without the cabinet role → 403
    expect((await decide(cabinet.id, who.reviewerBY, 'approve')).status).toBe(403);
    expect((await decide(cabinet.id, who.liaisonBY, 'approve')).status).toBe(403);

    await approve(cabinet.id, who.cabinetBY);
    const bundesrat = await approve(cabinet.id, who.cabinetNW);
    expect(bundesrat.phase).toBe('bundesrat');
    // now public: SN reads it, but may not record a cabinet decision: 403 (Land) wins over 409 (phase)
    const sn = await decide(cabinet.id, who.cabinetSN, 'approve');
    expect(sn.status).toBe(403);
    expect((sn.body as unknown as Problem).detail).toContain('SN');
    // an applicant in the wrong phase: 409
    expect((await decide(cabinet.id, who.cabinetBY, 'approve')).status).toBe(409);
    expect((await flow.get(cabinet.id)).version).toBe(bundesrat.version);
  });

  it('an invalid body → 400 before anything else', async () => {
    const cabinet = await flow.toCabinet();
    const bad = await flow.post(cabinet.id, '/cabinet-decisions', who.cabinetSN, {
      decision: 'abstain',
      decidedOn: '22.01.2019',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(['body/decidedOn', 'body/decision']);
    const missing = await flow.post(cabinet.id, '/cabinet-decisions', who.cabinetBY, { decision: 'approve' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'body/decidedOn', message: 'is required' }]);
  });
});
