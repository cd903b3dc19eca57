/**
 * Every phase transition of review, revision, withdrawal, consultation and the bundesrat channel's entry
 * into the cabinet phase, through the real API, workflow and read model.
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { historyOf, newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

async function create(overrides: Record<string, unknown> = {}, tokenValue = who.proposerBY) {
  const response = await harness.post('/v1/initiatives', tokenValue, newInitiative(overrides));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function review(id: string, tokenValue: string, decision: string, comment?: string) {
  const response = await harness.post(`/v1/initiatives/${id}/reviews`, tokenValue, {
    decision,
    ...(comment === undefined ? {} : { comment }),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const statusOf = (initiative: Initiative, land: string) =>
  initiative.reviews.find((r) => r.land === land)?.status;

describe('review', () => {
  it('approve + approve → adopted (joint channel)', async () => {
    const created = await create();
    expect(created.phase).toBe('review');
    expect(created.revision).toBe(1);
    expect(created.reviews.map((r) => [r.land, r.status])).toEqual([
      ['BY', 'pending'],
      ['NW', 'pending'],
    ]);
    const first = await review(created.id, who.reviewerBY, 'approve');
    expect(first.phase).toBe('review');
    expect(statusOf(first, 'BY')).toBe('approved');
    expect(first.reviews.find((r) => r.land === 'BY')?.by).toEqual({ sub: 'r-by', name: 'C. Maier' });
    expect(first.pendingActions).toEqual([
      expect.objectContaining({ action: 'review', land: 'NW', role: 'reviewer' }),
    ]);
    const second = await review(created.id, who.reviewerNW, 'approve');
    expect(second.phase).toBe('adopted');
    expect(second.outcome).toMatchObject({ result: 'adopted', reason: 'joint_approval' });
    expect(second.pendingActions).toEqual([]);
    expect(second.version).toBeGreaterThan(first.version);

    const history = await historyOf(harness, created.id, who.viewer);
    expect(history.map((e) => e.type)).toEqual([
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
    ]);
    expect(history[3]?.data).toMatchObject({ from: 'review', to: 'adopted' });
  });

  it('one reject → rejected at once, outcome reason review', async () => {
    const created = await create();
    const rejected = await review(created.id, who.reviewerNW, 'reject', 'Nicht finanzierbar.');
    expect(rejected.phase).toBe('rejected');
    expect(rejected.outcome).toMatchObject({ result: 'rejected', reason: 'review' });
    expect(statusOf(rejected, 'NW')).toBe('rejected');
    expect(statusOf(rejected, 'BY')).toBe('pending');
    expect(rejected.reviews.find((r) => r.land === 'NW')?.comment).toBe('Nicht finanzierbar.');
    expect(rejected.pendingActions).toEqual([]);
  });

  it('request_changes + approve → revision, but only once both have decided', async () => {
    const created = await create();
    const first = await review(created.id, who.reviewerNW, 'request_changes', 'Bitte Kosten ergänzen.');
    expect(first.phase).toBe('review');
    expect(statusOf(first, 'NW')).toBe('changes_requested');
    const second = await review(created.id, who.reviewerBY, 'approve');
    expect(second.phase).toBe('revision');
    expect(statusOf(second, 'BY')).toBe('approved');
    expect(statusOf(second, 'NW')).toBe('changes_requested');
    expect(second.outcome).toBeNull();
    expect(second.pendingActions).toEqual([
      expect.objectContaining({ action: 'revise', land: 'BY', role: 'proposer' }),
    ]);
  });

  it('changes requested by both → revision', async () => {
    const created = await create();
    await review(created.id, who.reviewerBY, 'request_changes', 'Zeitplan fehlt.');
    const second = await review(created.id, who.reviewerNW, 'request_changes', 'Kosten fehlen.');
    expect(second.phase).toBe('revision');
  });
});

describe('revision', () => {
  it('a revision by the proposer starts a new round: revision 2, reviews reset, title changed', async () => {
    const created = await create();
    await review(created.id, who.reviewerNW, 'request_changes', 'Titel präzisieren.');
    const inRevision = await review(created.id, who.reviewerBY, 'approve');
    expect(inRevision.phase).toBe('revision');

    const revised = await harness.post(`/v1/initiatives/${created.id}/revisions`, who.proposerBY, {
      title: 'KI-Testumgebung für die Landesverwaltungen',
      comment: 'Titel präzisiert.',
    });
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect(revised.body.phase).toBe('review');
    expect(revised.body.revision).toBe(2);
    expect(revised.body.title).toBe('KI-Testumgebung für die Landesverwaltungen');
    expect(revised.body.summary).toBe(created.summary);
    expect(revised.body.reviews.map((r) => [r.land, r.status])).toEqual([
      ['BY', 'pending'],
      ['NW', 'pending'],
    ]);
    for (const r of revised.body.reviews) {
      expect(r.by).toBeUndefined();
      expect(r.comment).toBeUndefined();
      expect(Date.parse(r.dueAt ?? '')).toBeGreaterThan(Date.now());
    }
    expect(revised.body.pendingActions.map((a) => `${a.action}:${a.land}`).sort()).toEqual([
      'review:BY',
      'review:NW',
    ]);

    const history = await historyOf(harness, created.id, who.viewer);
    const submitted = history.find((e) => e.type === 'revision_submitted');
    expect(submitted?.data).toEqual({
      revision: 2,
      comment: 'Titel präzisiert.',
      changed: { title: 'KI-Testumgebung für die Landesverwaltungen' },
    });
    expect(submitted?.actor).toMatchObject({ sub: 'p-by', land: 'BY', role: 'proposer' });
    expect(history.at(-1)).toMatchObject({ type: 'phase_changed', data: { from: 'revision', to: 'review' } });

    // the new round is decided afresh and can end in adoption
    await review(created.id, who.reviewerNW, 'approve');
    const adopted = await review(created.id, who.reviewerBY, 'approve');
    expect(adopted.phase).toBe('adopted');
    expect(adopted.revision).toBe(2);
    const decided = (await historyOf(harness, created.id, who.viewer)).filter(
      (e) => e.type === 'review_decided',
    );
    expect(decided.map((e) => `${String(e.data.round)}:${String(e.data.land)}`)).toEqual([
      '1:NW',
      '1:BY',
      '2:NW',
      '2:BY',
    ]);
  });
});

describe('withdrawal', () => {
  it('withdraw in review → withdrawn', async () => {
    const created = await create();
    const withdrawn = await harness.post(`/v1/initiatives/${created.id}/withdrawal`, who.proposerBY, {
      reason: 'Durch Bundesinitiative überholt.',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.phase).toBe('withdrawn');
    expect(withdrawn.body.outcome).toMatchObject({
      result: 'withdrawn',
      reason: 'Durch Bundesinitiative überholt.',
    });
    expect(withdrawn.body.pendingActions).toEqual([]);
    const types = (await historyOf(harness, created.id, who.viewer)).map((e) => e.type);
    expect(types).toEqual(['initiative_created', 'withdrawn', 'phase_changed']);
  });

  it('withdraw in revision → withdrawn', async () => {
    const created = await create({}, who.proposerNW);
    expect(created.leadLand).toBe('NW');
    await review(created.id, who.reviewerBY, 'request_changes', 'Bitte überarbeiten.');
    const inRevision = await review(created.id, who.reviewerNW, 'approve');
    expect(inRevision.phase).toBe('revision');
    expect(inRevision.pendingActions).toEqual([
      expect.objectContaining({ action: 'revise', land: 'NW', role: 'proposer' }),
    ]);
    const withdrawn = await harness.post(`/v1/initiatives/${created.id}/withdrawal`, who.proposerNW, {
      reason: 'Keine Mehrheit absehbar.',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.phase).toBe('withdrawn');
    expect(withdrawn.body.outcome).toMatchObject({ result: 'withdrawn' });
  });
});

describe('consultation and the bundesrat channel', () => {
  it('an open invitation holds the initiative in consultation after both approvals', async () => {
    const created = await create({ invite: ['HE'] });
    expect(created.invitations).toEqual([expect.objectContaining({ land: 'HE', status: 'pending' })]);
    expect(created.participants).toEqual([
      { land: 'BY', role: 'partner' },
      { land: 'NW', role: 'partner' },
      { land: 'HE', role: 'invited' },
    ]);
    expect(created.pendingActions).toContainEqual(
      expect.objectContaining({ action: 'respond', land: 'HE', role: 'reviewer' }),
    );
    await review(created.id, who.reviewerBY, 'approve');
    const both = await review(created.id, who.reviewerNW, 'approve');
    expect(both.phase).toBe('consultation');
    expect(both.outcome).toBeNull();
    expect(both.pendingActions).toEqual([
      expect.objectContaining({ action: 'respond', land: 'HE', role: 'reviewer' }),
    ]);
    // the invited Land now reads it
    const read = await harness.get<Initiative>(`/v1/initiatives/${created.id}`, who.reviewerHE);
    expect(read.status).toBe(200);
    expect(read.body.phase).toBe('consultation');
  });

  it('bundesrat channel: both approve → cabinet with the partners as applicants', async () => {
    const created = await create({ channel: 'bundesrat', instrument: 'entschliessungsantrag' });
    expect(created.channel).toBe('bundesrat');
    expect(created.instrument).toBe('entschliessungsantrag');
    expect(created.bundesrat).toBeNull();
    await review(created.id, who.reviewerNW, 'approve');
    const cabinet = await review(created.id, who.reviewerBY, 'approve');
    expect(cabinet.phase).toBe('cabinet');
    expect(cabinet.outcome).toBeNull();
    expect(cabinet.bundesrat?.applicants.slice().sort()).toEqual(['BY', 'NW']);
    expect(cabinet.bundesrat?.status).toBe('preparing');
    expect(cabinet.cabinetDecisions.map((d) => [d.land, d.status]).sort()).toEqual([
      ['BY', 'pending'],
      ['NW', 'pending'],
    ]);
    expect(cabinet.pendingActions.map((a) => `${a.action}:${a.land}:${a.role}`).sort()).toEqual([
      'cabinet:BY:cabinet',
      'cabinet:NW:cabinet',
    ]);
    const read = await harness.get<Initiative>(`/v1/initiatives/${created.id}`, who.viewer);
    expect(read.body.phase).toBe('cabinet');
    expect(read.body.version).toBe(cabinet.version);
  });
});
