/**
 * GET /v1/stats over what the caller may read, and conditional GETs on every read: ETag, 304 without a
 * body, and a new tag once something changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import type { Phase } from '../workflows/domain.js';
import { type HistoryItem, historyOf, newInitiative, useHarness, waitForInitiative } from './kit/index.js';

interface Stats {
  total: number;
  byPhase: Record<string, number>;
  byTopic: Record<string, number>;
  byChannel: Record<string, number>;
  byLand: Record<string, number>;
  overdue: number;
  medianDaysInPhase: Record<string, number | null>;
}

const harness = useHarness();
const { who } = harness;
const seeded: Record<'adopted' | 'hesse' | 'overdue' | 'revision', Initiative> = {} as never;

beforeAll(async () => {
  const create = async (overrides: Record<string, unknown>) => {
    const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
    expect(response.status).toBe(201);
    return response.body;
  };
  const review = (id: string, tokenValue: string, body: Record<string, unknown>) =>
    harness.post(`/v1/initiatives/${id}/reviews`, tokenValue, body);

  seeded.adopted = await create({ topic: 'mobility' });
  await review(seeded.adopted.id, who.reviewerBY, { decision: 'approve' });
  await review(seeded.adopted.id, who.reviewerNW, { decision: 'approve' });
  seeded.hesse = await create({ topic: 'egovernment', invite: ['HE'] });
  // a review round of two seconds with a long grace: escalated (overdue), not expired
  seeded.overdue = await create({
    topic: 'egovernment',
    periods: { review: 'PT2S', escalationGrace: 'P1D' },
  });
  seeded.revision = await create({ topic: 'ehealth' });
  await review(seeded.revision.id, who.reviewerBY, {
    decision: 'request_changes',
    comment: 'Bitte ergänzen.',
  });
  await review(seeded.revision.id, who.reviewerNW, { decision: 'approve' });
  await waitForInitiative(harness, seeded.overdue.id, who.viewer, (i) => i.overdue, {
    what: 'escalated',
    timeoutMs: 30_000,
  });
});

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/** The completed stays in a phase, in days, from an initiative's history. */
function stays(history: HistoryItem[], phase: Phase): number[] {
  const entries = history
    .filter((h) => h.type === 'initiative_created' || h.type === 'phase_changed')
    .map((h) => ({ phase: h.type === 'initiative_created' ? 'review' : (h.data.to as string), at: h.at }));
  return entries.flatMap((entry, i) => {
    const next = entries[i + 1];
    return entry.phase === phase && next ? [days(entry.at, next.at)] : [];
  });
}

describe('GET /v1/stats', () => {
  it('counts by phase, topic, Land and overdue over everything for a viewer', async () => {
    const response = await harness.get<Stats>('/v1/stats', who.viewer);
    expect(response.status).toBe(200);
    const stats = response.body;
    expect(stats.total).toBe(4);
    expect(stats.byPhase).toEqual({
      review: 2,
      revision: 1,
      consultation: 0,
      cabinet: 0,
      bundesrat: 0,
      conference: 0,
      adopted: 1,
      rejected: 0,
      withdrawn: 0,
      expired: 0,
    });
    expect(stats.byChannel).toEqual({ joint: 4, bundesrat: 0, laenderkreis: 0 });
    expect(stats.byTopic).toMatchObject({ mobility: 1, egovernment: 2, ehealth: 1, education: 0 });
    expect(stats.byLand).toMatchObject({ BY: 4, NW: 4, HE: 1, SN: 0 });
    expect(Object.keys(stats.byLand)).toHaveLength(16);
    expect(stats.overdue).toBe(1);
  });

  it('gives the median of the completed stays per phase, in days', async () => {
    const stats = (await harness.get<Stats>('/v1/stats', who.viewer)).body;
    const histories = await Promise.all(
      Object.values(seeded).map((initiative) => historyOf(harness, initiative.id, who.viewer)),
    );
    // review was left by the adopted and the revised initiative: the median of two is their mean
    const review = histories.flatMap((history) => stays(history, 'review'));
    expect(review).toHaveLength(2);
    expect(stats.medianDaysInPhase.review).toBeCloseTo(((review[0] ?? 0) + (review[1] ?? 0)) / 2, 9);
    expect(stats.medianDaysInPhase.review).toBeGreaterThan(0);
    // nobody has left revision yet; terminal phases are never left
    expect(stats.medianDaysInPhase).toMatchObject({ revision: null, adopted: null, consultation: null });
  });

  it('counts only what the caller may read', async () => {
    const hesse = (await harness.get<Stats>('/v1/stats', who.reviewerHE)).body;
    expect(hesse.total).toBe(1);
    expect(hesse.byPhase.review).toBe(1);
    expect(hesse.byTopic).toMatchObject({ egovernment: 1, mobility: 0 });
    expect(hesse.byLand).toMatchObject({ BY: 1, NW: 1, HE: 1 });
    expect(hesse.overdue).toBe(0);
    expect(hesse.medianDaysInPhase.review).toBeNull();
    expect((await harness.get('/v1/stats')).status).toBe(401);
  });
});

describe('conditional GETs', () => {
  async function expectNotModified(path: string) {
    const first = await harness.get(path, who.viewer);
    expect(first.status, path).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag, path).toMatch(/^(W\/)?"[^"]+"$/);
    // raw fetch: the 304 must not carry a body, nor say it has one
    const response = await fetch(`${harness.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${who.viewer}`, 'if-none-match': etag ?? '' },
    });
    expect(response.status, path).toBe(304);
    expect(response.headers.get('content-length'), path).toBeNull();
    expect(response.headers.get('content-type'), path).toBeNull();
    expect(response.headers.get('etag'), path).toBe(etag);
    expect(await response.text(), path).toBe('');
    const head = await fetch(`${harness.baseUrl}${path}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${who.viewer}`, 'if-none-match': etag ?? '' },
    });
    expect(head.status, `HEAD ${path}`).toBe(304);
    return etag ?? '';
  }

  it('the resource, lists, history, inbox and stats answer If-None-Match with a body-less 304', async () => {
    const id = seeded.revision.id;
    for (const path of [
      `/v1/initiatives/${id}`,
      '/v1/initiatives?phase=revision',
      '/v1/initiatives',
      `/v1/initiatives/${id}/history`,
      '/v1/tasks',
      '/v1/stats',
      '/v1/bundesrat/sessions',
    ])
      await expectNotModified(path);
  });

  it('a change gives the history and the stats a new tag', async () => {
    const id = seeded.revision.id;
    const historyTag = await expectNotModified(`/v1/initiatives/${id}/history`);
    const statsTag = await expectNotModified('/v1/stats');
    const revised = await harness.post(`/v1/initiatives/${id}/revisions`, who.proposerBY, {
      comment: 'Ergänzt.',
    });
    expect(revised.status).toBe(200);
    for (const [path, etag] of [
      [`/v1/initiatives/${id}/history`, historyTag],
      ['/v1/stats', statsTag],
    ] as const) {
      const changed = await harness.get(path, who.viewer, { 'if-none-match': etag });
      expect(changed.status, path).toBe(200);
      expect(changed.headers.get('etag'), path).not.toBe(etag);
    }
    const stats = (await harness.get<Stats>('/v1/stats', who.viewer)).body;
    expect(stats.byPhase).toMatchObject({ review: 3, revision: 0 });
  });
});
