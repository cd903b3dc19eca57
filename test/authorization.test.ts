/**
 * 403 for the wrong role, Land or person (four-eyes), and 404 for initiatives the caller may not read,
 * in docs/api.md's order of precedence (400 → 404 → 403 → 409). A refused command changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { historyOf, newInitiative, token, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;
let more: {
  proposerReviewerBY: string;
  otherProposerBY: string;
  proposerHE: string;
  cabinetBY: string;
  adminBE: string;
};
/** Created by proposerBY, nobody invited. */
let plain: Initiative;
/** Created by proposerBY, inviting HE. */
let invitingHE: Initiative;

beforeAll(async () => {
  more = {
    proposerReviewerBY: await token({ sub: 'pr-by', land: 'BY', roles: ['proposer', 'reviewer'] }),
    otherProposerBY: await token({ sub: 'p-by-2', land: 'BY', roles: ['proposer'] }),
    proposerHE: await token({ sub: 'p-he', land: 'HE', roles: ['proposer'] }),
    cabinetBY: await token({ sub: 'c-by', land: 'BY', roles: ['cabinet'] }),
    adminBE: await token({ sub: 'a-1', land: 'BE', roles: ['admin'] }),
  };
  [plain, invitingHE] = await Promise.all([
    create(who.proposerBY),
    create(who.proposerBY, { invite: ['HE'] }),
  ]);
});

async function create(tokenValue: string, overrides: Record<string, unknown> = {}): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', tokenValue, newInitiative(overrides));
  if (response.status !== 201) throw new Error(`create: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

/** Sends a command expecting `status`, and checks that the initiative did not change. */
async function refused(status: number, id: string, path: string, tokenValue: string, body: unknown) {
  const before = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
  const historyLength = (await historyOf(harness, id, who.viewer)).length;
  const response = await harness.post<Problem>(`/v1/initiatives/${id}${path}`, tokenValue, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body.status).toBe(status);
  const after = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
  expect(after.body.version).toBe(before.body.version);
  expect(await historyOf(harness, id, who.viewer)).toHaveLength(historyLength);
  return response.body;
}

const approve = { decision: 'approve' };

describe('403: role and Land', () => {
  it('a proposer cannot post a review', async () => {
    const problem = await refused(403, plain.id, '/reviews', who.proposerNW, approve);
    expect(problem.detail).toMatch(/reviewer/);
  });

  it('a viewer, an admin and a cabinet principal cannot post a review', async () => {
    await refused(403, plain.id, '/reviews', who.viewer, approve);
    await refused(403, plain.id, '/reviews', more.adminBE, approve);
    await refused(403, plain.id, '/reviews', more.cabinetBY, approve);
  });

  it('a viewer cannot revise or withdraw', async () => {
    await refused(403, plain.id, '/withdrawal', who.viewer, { reason: 'x' });
    await refused(403, plain.id, '/revisions', who.viewer, { comment: 'x' });
  });

  it('a HE reviewer cannot read, nor act on, an initiative that does not invite HE → 404', async () => {
    const read = await harness.get<Problem>(`/v1/initiatives/${plain.id}`, who.reviewerHE);
    expect(read.status).toBe(404);
    expect(read.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await harness.get(`/v1/initiatives/${plain.id}/history`, who.reviewerHE)).status).toBe(404);
    await refused(404, plain.id, '/reviews', who.reviewerHE, approve);
    // the same answer as for an initiative that does not exist at all
    const missing = await harness.post<Problem>(
      '/v1/initiatives/DD-2000-9999/reviews',
      who.reviewerHE,
      approve,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe(read.body.detail);
  });

  it('400 wins over 404: an invalid body on an invisible initiative', async () => {
    await refused(400, plain.id, '/reviews', who.reviewerHE, { decision: 'maybe' });
  });

  it('a HE reviewer of an initiative that invited HE reads it but may not review it → 403', async () => {
    const read = await harness.get<Initiative>(`/v1/initiatives/${invitingHE.id}`, who.reviewerHE);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(invitingHE.id);
    const problem = await refused(403, invitingHE.id, '/reviews', who.reviewerHE, approve);
    expect(problem.detail).toMatch(/BY and NW/);
  });
});

describe('403: four-eyes and the proposer', () => {
  it('the proposer cannot decide their own initiative even with the reviewer role', async () => {
    const own = await create(more.proposerReviewerBY);
    expect(own.proposer.sub).toBe('pr-by');
    const problem = await refused(403, own.id, '/reviews', more.proposerReviewerBY, approve);
    expect(problem.detail).toMatch(/[Ff]our-eyes/);
    // another BY reviewer may decide it
    const decided = await harness.post(`/v1/initiatives/${own.id}/reviews`, who.reviewerBY, approve);
    expect(decided.status).toBe(200);
  });

  it('another proposer (other Land, or same Land other person) cannot withdraw or revise', async () => {
    await refused(403, plain.id, '/withdrawal', who.proposerNW, { reason: 'Nicht meins.' });
    await refused(403, plain.id, '/withdrawal', more.otherProposerBY, { reason: 'Nicht meins.' });
    // in phase revision, where the proposer could revise
    const revising = await create(who.proposerBY);
    await harness.post(`/v1/initiatives/${revising.id}/reviews`, who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte ergänzen.',
    });
    const inRevision = await harness.post(`/v1/initiatives/${revising.id}/reviews`, who.reviewerBY, approve);
    expect(inRevision.body.phase).toBe('revision');
    await refused(403, revising.id, '/revisions', who.proposerNW, { comment: 'Übernommen.' });
    await refused(403, revising.id, '/revisions', more.otherProposerBY, { comment: 'Übernommen.' });
    await refused(403, revising.id, '/revisions', who.reviewerBY, { comment: 'Übernommen.' });
    // the proposer themself may
    const revised = await harness.post(`/v1/initiatives/${revising.id}/revisions`, who.proposerBY, {
      comment: 'Ergänzt.',
    });
    expect(revised.status).toBe(200);
  });

  it('403 wins over 409: another proposer withdrawing a terminal initiative', async () => {
    const done = await create(who.proposerBY);
    await harness.post(`/v1/initiatives/${done.id}/withdrawal`, who.proposerBY, { reason: 'Erledigt.' });
    await refused(403, done.id, '/withdrawal', who.proposerNW, { reason: 'Auch erledigt.' });
  });
});

describe('403 on create', () => {
  it('a NW proposer creates with lead Land NW', async () => {
    const created = await create(who.proposerNW);
    expect(created.leadLand).toBe('NW');
    expect(created.proposer).toEqual({ sub: 'p-nw', name: 'K. Becker', land: 'NW' });
  });

  it('a HE proposer, a reviewer and a viewer cannot create', async () => {
    const count = async () =>
      (await harness.get<{ items: Initiative[] }>('/v1/initiatives?limit=100', who.viewer)).body.items.length;
    const before = await count();
    for (const tokenValue of [more.proposerHE, who.reviewerBY, who.viewer]) {
      const response = await harness.post<Problem>('/v1/initiatives', tokenValue, newInitiative());
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.status).toBe(403);
      expect(response.body.title).toBe('Not allowed');
    }
    expect(await count()).toBe(before);
  });
});
