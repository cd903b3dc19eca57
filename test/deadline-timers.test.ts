/**
 * Timer-driven events with short per-initiative periods: review reminder, escalation (overdue), expiry,
 * overdue cleared by a new round, revision deadline, and an invitation running out (no_response).
 * The dev server's timers can lag about a second, so every wait polls with a generous timeout.
 */
import { describe, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { eventually, historyOf, newInitiative, useHarness, waitForInitiative } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

async function create(overrides: Record<string, unknown>): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
  if (response.status !== 201) throw new Error(`create: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

async function review(id: string, tokenValue: string, decision: string, comment?: string) {
  const response = await harness.post(`/v1/initiatives/${id}/reviews`, tokenValue, {
    decision,
    ...(comment === undefined ? {} : { comment }),
  });
  if (response.status !== 200) throw new Error(`review: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const historyTypes = async (id: string) => (await historyOf(harness, id, who.viewer)).map((e) => e.type);

// The tests wait on timers, not on each other: run them side by side.
describe.concurrent('review deadline', () => {
  it('reminds, escalates (overdue) and expires', async ({ expect }) => {
    const started = Date.now();
    const created = await create({
      periods: { review: 'PT4S', reminderBefore: 'PT2S', escalationGrace: 'PT3S' },
    });
    expect(created.periods).toMatchObject({
      review: 'PT4S',
      reminderBefore: 'PT2S',
      escalationGrace: 'PT3S',
    });
    expect(created.overdue).toBe(false);
    // exact sub-day periods: due about 4 s after creation
    for (const r of created.reviews) {
      const due = Date.parse(r.dueAt ?? '');
      expect(due - Date.parse(created.createdAt)).toBeGreaterThanOrEqual(3_900);
      expect(due - Date.parse(created.createdAt)).toBeLessThan(6_000);
    }

    // reminder: one per Land, before the due time, while not yet overdue
    const reminded = await eventually(
      () => historyOf(harness, created.id, who.viewer),
      (items) => items.filter((e) => e.type === 'review_reminder').length === 2,
      { timeoutMs: 15_000, what: 'two review_reminder events' },
    );
    for (const event of reminded.filter((e) => e.type === 'review_reminder')) {
      expect(event.actor).toEqual({ sub: 'system', name: 'system', land: null, role: 'system' });
      expect(['BY', 'NW']).toContain(event.data.land);
      expect(Date.parse(event.at)).toBeLessThan(Date.parse(String(event.data.dueAt)));
    }

    // escalation: overdue, one escalation event per Land
    const overdue = await waitForInitiative(harness, created.id, who.viewer, (i) => i.overdue, {
      timeoutMs: 15_000,
      what: 'overdue',
    });
    expect(overdue.phase).toBe('review');
    const escalated = (await historyOf(harness, created.id, who.viewer)).filter(
      (e) => e.type === 'review_escalated',
    );
    expect(escalated.length).toBeGreaterThanOrEqual(1);
    expect(escalated[0]?.data).toHaveProperty('expiresAt');
    expect(Date.parse(escalated[0]?.at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(String(escalated[0]?.data.dueAt)),
    );

    // the overdue filter of the list finds it
    const list = await harness.get<{ items: Initiative[] }>('/v1/initiatives?overdue=true', who.viewer);
    expect(list.body.items.map((i) => i.id)).toContain(created.id);

    // expiry once the grace period has passed too
    const expired = await waitForInitiative(harness, created.id, who.viewer, (i) => i.phase === 'expired', {
      timeoutMs: 20_000,
      what: 'phase expired',
    });
    expect(expired.outcome).toMatchObject({ result: 'expired', reason: 'review_deadline' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(6_500);
    const types = await historyTypes(created.id);
    expect(types).toContain('expired');
    expect(types.at(-1)).toBe('phase_changed');
    const last = (await historyOf(harness, created.id, who.viewer)).at(-1);
    expect(last?.data).toMatchObject({ from: 'review', to: 'expired', reason: 'review_deadline' });

    // terminal: a late decision is refused
    const late = await harness.post(`/v1/initiatives/${created.id}/reviews`, who.reviewerBY, {
      decision: 'approve',
    });
    expect(late.status).toBe(409);
  });

  it('overdue clears when a new round starts', async ({ expect }) => {
    const created = await create({
      periods: { review: 'PT3S', reminderBefore: 'PT1S', escalationGrace: 'PT5M' },
    });
    // NW decides at once; BY misses its deadline
    await review(created.id, who.reviewerNW, 'request_changes', 'Bitte Kosten ergänzen.');
    const overdue = await waitForInitiative(harness, created.id, who.viewer, (i) => i.overdue, {
      timeoutMs: 15_000,
      what: 'overdue',
    });
    expect(overdue.phase).toBe('review');
    const escalated = (await historyOf(harness, created.id, who.viewer)).filter(
      (e) => e.type === 'review_escalated',
    );
    expect(escalated.map((e) => e.data.land)).toEqual(['BY']);

    const inRevision = await review(created.id, who.reviewerBY, 'approve');
    expect(inRevision.phase).toBe('revision');
    const revised = await harness.post(`/v1/initiatives/${created.id}/revisions`, who.proposerBY, {
      summary: 'Mit Kostenschätzung.',
      comment: 'Kosten ergänzt.',
    });
    expect(revised.status).toBe(200);
    expect(revised.body.phase).toBe('review');
    expect(revised.body.revision).toBe(2);
    expect(revised.body.overdue).toBe(false);
    for (const r of revised.body.reviews)
      expect(Date.parse(r.dueAt ?? '')).toBeGreaterThan(Date.parse(revised.body.updatedAt));
    const read = await harness.get<Initiative>(`/v1/initiatives/${created.id}`, who.viewer);
    expect(read.body.revision).toBe(2);
  });
});

describe.concurrent('revision deadline', () => {
  it('a missed revision deadline → expired', async ({ expect }) => {
    const created = await create({ periods: { revision: 'PT3S' } });
    await review(created.id, who.reviewerNW, 'request_changes', 'Bitte überarbeiten.');
    const inRevision = await review(created.id, who.reviewerBY, 'approve');
    expect(inRevision.phase).toBe('revision');
    const revise = inRevision.pendingActions.find((a) => a.action === 'revise');
    expect(revise?.dueAt).toBeDefined();
    expect(Date.parse(revise?.dueAt ?? '') - Date.parse(inRevision.updatedAt)).toBeLessThan(5_000);

    const expired = await waitForInitiative(harness, created.id, who.viewer, (i) => i.phase === 'expired', {
      timeoutMs: 15_000,
      what: 'phase expired',
    });
    expect(expired.outcome).toMatchObject({ result: 'expired', reason: 'revision_deadline' });
    const event = (await historyOf(harness, created.id, who.viewer)).find((e) => e.type === 'expired');
    expect(event?.data).toMatchObject({ kind: 'revision', land: 'BY' });
    expect(event?.actor.sub).toBe('system');

    const late = await harness.post(`/v1/initiatives/${created.id}/revisions`, who.proposerBY, {
      comment: 'Zu spät.',
    });
    expect(late.status).toBe(409);
  });
});

describe.concurrent('invitation deadline', () => {
  it('no response from the invited Land ends the consultation → adopted', async ({ expect }) => {
    const created = await create({ invite: ['HE'], periods: { invitation: 'PT5S' } });
    await review(created.id, who.reviewerBY, 'approve');
    const consultation = await review(created.id, who.reviewerNW, 'approve');
    expect(consultation.phase).toBe('consultation');

    const adopted = await waitForInitiative(harness, created.id, who.viewer, (i) => i.phase === 'adopted', {
      timeoutMs: 15_000,
      what: 'phase adopted',
    });
    expect(adopted.outcome).toMatchObject({ result: 'adopted' });
    expect(adopted.invitations).toEqual([expect.objectContaining({ land: 'HE', status: 'no_response' })]);
    expect(adopted.participants).toContainEqual({ land: 'HE', role: 'no_response' });
    expect(adopted.pendingActions).toEqual([]);
    const history = await historyOf(harness, created.id, who.viewer);
    const types = history.map((e) => e.type);
    expect(types.filter((t) => t === 'invitation_no_response')).toHaveLength(1);
    expect(history.find((e) => e.type === 'invitation_no_response')?.data).toMatchObject({ land: 'HE' });
    expect(history.filter((e) => e.type === 'phase_changed').map((e) => e.data.to)).toEqual([
      'consultation',
      'adopted',
    ]);
  });
});
