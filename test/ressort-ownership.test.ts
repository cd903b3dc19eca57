/**
 * Ownership by the lead Ressort (docs/ressorts.md): the lead Ressort comes from the proposer's token or the
 * body; any proposer of the lead Ressort revises and withdraws, one of another Ressort gets 403; four-eyes
 * keeps every version's author from reviewing; without a lead Ressort only the proposer in person.
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { historyOf, newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who, flow } = harness;

const CHANGES = { decision: 'request_changes', comment: 'Bitte Kosten ergänzen.' };
const REVISION = { summary: 'Mit Kostenschätzung.', comment: 'Kosten ergänzt.' };

async function inRevision(as: string, body: Record<string, unknown> = {}): Promise<Initiative> {
  const created = await harness.post('/v1/initiatives', as, newInitiative(body));
  expect(created.status).toBe(201);
  await flow.command(created.body.id, '/reviews', who.reviewerNW, CHANGES);
  const revision = await flow.command(created.body.id, '/reviews', who.reviewerBY, { decision: 'approve' });
  expect(revision.phase).toBe('revision');
  return revision;
}

describe('the lead Ressort', () => {
  it("is the proposer's token Ressort, else the body's; an unknown key in the body → 400", async () => {
    const fromToken = await harness.post('/v1/initiatives', who.proposerStMD, newInitiative());
    expect(fromToken.body).toMatchObject({ leadRessort: { land: 'BY', key: 'StMD' }, ressort: 'StMD' });
    const fromBody = await harness.post(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ ressort: 'StMWi' }),
    );
    expect(fromBody.body.leadRessort).toEqual({ land: 'BY', key: 'StMWi' });
    const none = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
    expect(none.body.leadRessort).toBeNull();
    const history = await historyOf(harness, fromToken.body.id, who.viewer);
    expect(history[0]?.data).toMatchObject({ leadRessort: { land: 'BY', key: 'StMD' } });

    for (const [as, ressort] of [
      [who.proposerBY, 'Digitalministerium'],
      [who.proposerNW, 'StMD'],
    ] as const) {
      const refused = await harness.post<{ errors: { path: string }[] }>(
        '/v1/initiatives',
        as,
        newInitiative({ ressort, title: 'Nicht anzulegen' }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e) => e.path)).toContain('body/ressort');
    }
  });
});

describe('ownership by the lead Ressort', () => {
  it('a colleague of the same Ressort revises; one of another Ressort or without one gets 403', async () => {
    const initiative = await inRevision(who.proposerStMD);
    for (const other of [who.proposerStMI, who.proposerBY2]) {
      const refused = await harness.post(`/v1/initiatives/${initiative.id}/revisions`, other, REVISION);
      expect(refused.status).toBe(403);
    }
    const unchanged = await flow.get(initiative.id);
    expect(unchanged.version).toBe(initiative.version);

    const revised = await flow.command(initiative.id, '/revisions', who.colleagueStMD, REVISION);
    expect(revised.phase).toBe('review');
    expect(revised.authors?.map((a) => a.sub)).toEqual(['p-by-stmd', 'pr-by-stmd']);
    const history = await historyOf(harness, initiative.id, who.viewer);
    expect(history.find((e) => e.type === 'revision_submitted')?.actor).toMatchObject({
      sub: 'pr-by-stmd',
      ressort: 'StMD',
    });
  });

  it('four-eyes over every version: the reviser may not review, another reviewer of the Ressort may', async () => {
    const initiative = await inRevision(who.proposerStMD);
    await flow.command(initiative.id, '/revisions', who.colleagueStMD, REVISION);
    const refused = await harness.post<{ detail: string }>(
      `/v1/initiatives/${initiative.id}/reviews`,
      who.colleagueStMD,
      { decision: 'approve' },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/Four-eyes/);
    const approved = await flow.command(initiative.id, '/reviews', who.reviewerStMD, { decision: 'approve' });
    expect(approved.reviews.find((r) => r.land === 'BY')?.status).toBe('approved');
  });

  it('a colleague of the lead Ressort withdraws; another Ressort gets 403', async () => {
    const created = await harness.post('/v1/initiatives', who.proposerStMD, newInitiative());
    const id = created.body.id;
    const reason = { reason: 'Vom Bund aufgegriffen.' };
    expect((await harness.post(`/v1/initiatives/${id}/withdrawal`, who.proposerStMI, reason)).status).toBe(
      403,
    );
    const withdrawn = await flow.command(id, '/withdrawal', who.colleagueStMD, reason);
    expect(withdrawn.phase).toBe('withdrawn');
  });

  it('without a lead Ressort only the proposer in person revises, whatever Ressort others name', async () => {
    const initiative = await inRevision(who.proposerBY);
    expect(initiative.leadRessort).toBeNull();
    const refused = await harness.post(
      `/v1/initiatives/${initiative.id}/revisions`,
      who.colleagueStMD,
      REVISION,
    );
    expect(refused.status).toBe(403);
    const revised = await flow.command(initiative.id, '/revisions', who.proposerBY, REVISION);
    expect(revised.authors?.map((a) => a.sub)).toEqual(['p-by']);
  });

  it('the allowed actions follow the same rule', async () => {
    const initiative = await inRevision(who.proposerStMD);
    const actions = async (as: string) =>
      (
        await harness.get<{ items: { action: string }[] }>(
          `/v1/initiatives/${initiative.id}/allowed-actions`,
          as,
        )
      ).body.items.map((i) => i.action);
    expect(await actions(who.colleagueStMD)).toContain('revise');
    expect(await actions(who.proposerStMI)).not.toContain('revise');
  });

  it('the inbox follows the same rules: revise for the lead Ressort, no review for any author', async () => {
    const initiative = await inRevision(who.proposerStMD);
    const tasks = async (as: string) =>
      (await harness.get<{ items: { initiativeId: string; action: string }[] }>('/v1/tasks', as)).body.items
        .filter((task) => task.initiativeId === initiative.id)
        .map((task) => task.action);
    expect(await tasks(who.colleagueStMD)).toEqual(['revise']);
    expect(await tasks(who.proposerStMI)).toEqual([]);

    await flow.command(initiative.id, '/revisions', who.colleagueStMD, REVISION);
    // The read model follows the workflow; the reviser authored a version now.
    expect(await tasks(who.colleagueStMD)).toEqual([]);
    expect(await tasks(who.reviewerStMD)).toEqual(['review']);
  });
});
