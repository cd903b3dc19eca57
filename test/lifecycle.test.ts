import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

describe('joint lifecycle', () => {
  it('create as BY proposer → NW and BY approve → adopted', async () => {
    const created = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    expect(created.status).toBe(201);
    const { id } = created.body;
    expect(id).toMatch(/^DD-\d{4}-\d{4}$/);
    expect(created.headers.get('location')).toBe(`/v1/initiatives/${id}`);
    expect(created.body.phase).toBe('review');
    expect(created.body.pendingActions.map((a) => a.land).sort()).toEqual(['BY', 'NW']);

    const first = await harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, {
      decision: 'approve',
    });
    expect(first.status).toBe(200);
    expect(first.body.reviews.find((r) => r.land === 'NW')?.status).toBe('approved');
    expect(first.body.phase).toBe('review');

    const second = await harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerBY, {
      decision: 'approve',
    });
    expect(second.status).toBe(200);
    expect(second.body.phase).toBe('adopted');
    expect(second.body.outcome).toMatchObject({ result: 'adopted' });

    const read = await harness.get<Initiative>(`/v1/initiatives/${id}`, who.viewer);
    expect(read.body.version).toBe(second.body.version);
    expect(read.body.phase).toBe('adopted');
  });
});
