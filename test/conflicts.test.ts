/**
 * 409 for commands that do not fit the current state: deciding twice, anything on a terminal initiative,
 * a revision outside phase revision. A refused command changes nothing (version and history unchanged).
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { historyOf, newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

async function create(overrides: Record<string, unknown> = {}): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function ok(path: string, tokenValue: string, body: unknown): Promise<Initiative> {
  const response = await harness.post(path, tokenValue, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Asserts a 409 problem and that neither the initiative nor its history changed. */
async function expectConflict(id: string, path: string, tokenValue: string, body: unknown) {
  const before = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
  const historyBefore = await historyOf(harness, id, who.viewer);
  const response = await harness.post<{ status: number; title: string; detail: string }>(
    `/v1/initiatives/${id}${path}`,
    tokenValue,
    body,
  );
  expect(response.status, JSON.stringify(response.body)).toBe(409);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body.status).toBe(409);
  expect(response.body.detail).toEqual(expect.any(String));
  const after = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
  expect(after.body.version).toBe(before.body.version);
  expect(after.body.phase).toBe(before.body.phase);
  expect(await historyOf(harness, id, who.viewer)).toHaveLength(historyBefore.length);
  return response.body;
}

const approve = { decision: 'approve' };
const revise = { title: 'Neuer Titel', comment: 'Überarbeitet.' };
const withdraw = { reason: 'Nicht mehr nötig.' };

describe('409 Conflict', () => {
  it('deciding twice in the same round', async () => {
    const { id } = await create();
    await ok(`/v1/initiatives/${id}/reviews`, who.reviewerNW, approve);
    const problem = await expectConflict(id, '/reviews', who.reviewerNW, approve);
    expect(problem.detail).toMatch(/already decided/);
    // a different decision is refused as well
    await expectConflict(id, '/reviews', who.reviewerNW, { decision: 'reject', comment: 'Doch nicht.' });
    const history = await historyOf(harness, id, who.viewer);
    expect(history.filter((e) => e.type === 'review_decided')).toHaveLength(1);
  });

  it('every command on an adopted initiative', async () => {
    const { id } = await create();
    await ok(`/v1/initiatives/${id}/reviews`, who.reviewerNW, approve);
    const adopted = await ok(`/v1/initiatives/${id}/reviews`, who.reviewerBY, approve);
    expect(adopted.phase).toBe('adopted');
    await expectConflict(id, '/reviews', who.reviewerBY, approve);
    await expectConflict(id, '/reviews', who.reviewerNW, { decision: 'reject', comment: 'Zu spät.' });
    await expectConflict(id, '/revisions', who.proposerBY, revise);
    await expectConflict(id, '/withdrawal', who.proposerBY, withdraw);
  });

  it('every command on a withdrawn initiative', async () => {
    const { id } = await create();
    const withdrawn = await ok(`/v1/initiatives/${id}/withdrawal`, who.proposerBY, withdraw);
    expect(withdrawn.phase).toBe('withdrawn');
    await expectConflict(id, '/reviews', who.reviewerBY, approve);
    await expectConflict(id, '/revisions', who.proposerBY, revise);
    await expectConflict(id, '/withdrawal', who.proposerBY, withdraw);
  });

  it('every command on a rejected initiative', async () => {
    const { id } = await create();
    await ok(`/v1/initiatives/${id}/reviews`, who.reviewerBY, { decision: 'reject', comment: 'Nein.' });
    await expectConflict(id, '/reviews', who.reviewerNW, approve);
    await expectConflict(id, '/revisions', who.proposerBY, revise);
    await expectConflict(id, '/withdrawal', who.proposerBY, withdraw);
  });

  it('a revision outside phase revision', async () => {
    const { id } = await create();
    // in review, nobody decided
    const problem = await expectConflict(id, '/revisions', who.proposerBY, revise);
    expect(problem.detail).toMatch(/revision/);
    // in review, one Land asked for changes but the other has not decided yet
    await ok(`/v1/initiatives/${id}/reviews`, who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte ergänzen.',
    });
    await expectConflict(id, '/revisions', who.proposerBY, revise);
    // in consultation
    const consulting = await create({ invite: ['HE'] });
    await ok(`/v1/initiatives/${consulting.id}/reviews`, who.reviewerNW, approve);
    const inConsultation = await ok(`/v1/initiatives/${consulting.id}/reviews`, who.reviewerBY, approve);
    expect(inConsultation.phase).toBe('consultation');
    await expectConflict(consulting.id, '/revisions', who.proposerBY, revise);
    // and a review in phase revision
    const revising = await create();
    await ok(`/v1/initiatives/${revising.id}/reviews`, who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte ergänzen.',
    });
    const inRevision = await ok(`/v1/initiatives/${revising.id}/reviews`, who.reviewerBY, approve);
    expect(inRevision.phase).toBe('revision');
    await expectConflict(revising.id, '/reviews', who.reviewerBY, approve);
  });
});
