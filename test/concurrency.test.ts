/**
 * Decisions arriving at the same moment: both Länder at once (both succeed, the initiative ends adopted,
 * each decision is recorded once, the read model ends at the final version, the chain stays intact), and
 * the same Land twice at once (exactly one wins, the other gets 409).
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { chainProblems } from './helpers/chain.js';
import { historyOf, newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

const ROUNDS = 6;

async function createMany(count: number, overrides: Record<string, unknown> = {}): Promise<Initiative[]> {
  const responses = await Promise.all(
    Array.from({ length: count }, () =>
      harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides)),
    ),
  );
  for (const r of responses) expect(r.status).toBe(201);
  return responses.map((r) => r.body);
}

describe('both Länder decide at the same moment', () => {
  it('both 200, adopted, each decision once, read model at the final version, chain intact', async () => {
    const initiatives = await createMany(ROUNDS);
    await Promise.all(
      initiatives.map(async ({ id }) => {
        const [nw, by] = await Promise.all([
          harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, { decision: 'approve' }),
          harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerBY, { decision: 'approve' }),
        ]);
        expect(nw.status, JSON.stringify(nw.body)).toBe(200);
        expect(by.status, JSON.stringify(by.body)).toBe(200);
        // Each answer shows the initiative after its own command (possibly after both, when they were
        // persisted together); the later one has both approvals and the adoption.
        const last = nw.body.version >= by.body.version ? nw.body : by.body;
        expect(last.phase).toBe('adopted');
        expect(nw.body.reviews.find((r) => r.land === 'NW')?.status).toBe('approved');
        expect(by.body.reviews.find((r) => r.land === 'BY')?.status).toBe('approved');

        const read = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
        expect(read.body.phase).toBe('adopted');
        expect(read.body.version).toBe(last.version);
        expect(read.body.reviews.map((r) => r.status)).toEqual(['approved', 'approved']);

        const items = await historyOf(harness, id, who.viewer);
        const decided = items.filter((e) => e.type === 'review_decided');
        expect(decided.map((e) => e.data.land).sort()).toEqual(['BY', 'NW']);
        expect(items.filter((e) => e.type === 'phase_changed').map((e) => e.data.to)).toEqual(['adopted']);
        expect(items).toHaveLength(4);
        expect(chainProblems(id, items)).toEqual([]);
      }),
    );
  });

  it('a reject racing an approve: rejected, the approve applied before it or refused, chain intact', async () => {
    const initiatives = await createMany(3);
    await Promise.all(
      initiatives.map(async ({ id }) => {
        const [nw, by] = await Promise.all([
          harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, {
            decision: 'reject',
            comment: 'Nein.',
          }),
          harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerBY, { decision: 'approve' }),
        ]);
        // the approve is applied first (200) or finds the initiative already rejected (409)
        expect(nw.status).toBe(200);
        expect([200, 409]).toContain(by.status);
        const read = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
        expect(read.body.phase).toBe('rejected');
        expect(read.body.outcome).toMatchObject({ result: 'rejected', reason: 'review' });
        const items = await historyOf(harness, id, who.viewer);
        expect(items.filter((e) => e.type === 'review_decided')).toHaveLength(by.status === 200 ? 2 : 1);
        expect(chainProblems(id, items)).toEqual([]);
      }),
    );
  });
});

describe('the same Land decides twice at the same moment', () => {
  it('exactly one 200 and one 409, one decision recorded', async () => {
    const initiatives = await createMany(ROUNDS);
    await Promise.all(
      initiatives.map(async ({ id }) => {
        const responses = await Promise.all([
          harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, { decision: 'approve' }),
          harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, {
            decision: 'request_changes',
            comment: 'Bitte ergänzen.',
          }),
        ]);
        expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
        const winner = responses.find((r) => r.status === 200);
        const loser = responses.find((r) => r.status === 409);
        expect(loser?.headers.get('content-type')).toMatch(/^application\/problem\+json/);

        const read = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
        expect(read.body.version).toBe(winner?.body.version);
        expect(read.body.reviews.find((r) => r.land === 'NW')?.status).toBe(
          winner?.body.reviews.find((r) => r.land === 'NW')?.status,
        );
        const items = await historyOf(harness, id, who.viewer);
        expect(items.filter((e) => e.type === 'review_decided')).toHaveLength(1);
        expect(chainProblems(id, items)).toEqual([]);
      }),
    );
  });

  it('withdrawal racing a final approval: the initiative ends in exactly one terminal phase', async () => {
    const initiatives = await createMany(3);
    await Promise.all(
      initiatives.map(async ({ id }) => {
        const first = await harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, {
          decision: 'approve',
        });
        expect(first.status).toBe(200);
        const [approve, withdraw] = await Promise.all([
          harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerBY, { decision: 'approve' }),
          harness.post(`/v1/initiatives/${id}/withdrawal`, who.proposerBY, { reason: 'Zurück.' }),
        ]);
        expect([approve.status, withdraw.status].sort()).toEqual([200, 409]);
        const read = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
        expect(read.body.phase).toBe(approve.status === 200 ? 'adopted' : 'withdrawn');
        const items = await historyOf(harness, id, who.viewer);
        expect(items.filter((e) => e.type === 'phase_changed')).toHaveLength(1);
        expect(chainProblems(id, items)).toEqual([]);
      }),
    );
  });
});
