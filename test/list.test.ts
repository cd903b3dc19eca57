/**
 * GET /v1/initiatives: filters (phase, topic, channel, land, overdue, ressort, q), keyset pagination without
 * duplicates or gaps, newest first, and visibility (a third Land sees only what invites it; viewers all).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { RESSORTS } from '../workflows/ressorts.js';
import { newInitiative, token, useHarness, waitForInitiative } from './kit/index.js';

const harness = useHarness();
const { who } = harness;
let reviewerSN: string;

interface List {
  items: Initiative[];
  nextCursor: string | null;
}

/** name → initiative, created in beforeAll. */
const made: Record<string, Initiative> = {};

const specs: Record<string, Record<string, unknown>> = {
  quantum: { title: 'Quantencomputing-Verbund', topic: 'ai_supercomputing' },
  health: {
    title: 'Elektronische Patientenakte',
    summary: 'Gemeinsame ePA-Pilotregionen.',
    topic: 'ehealth',
  },
  healthHE: { title: 'Telemedizin im ländlichen Raum', topic: 'ehealth', invite: ['HE'] },
  motion: {
    title: 'Entschließung zur Cybersicherheit',
    topic: 'cybersecurity',
    channel: 'bundesrat',
    instrument: 'entschliessungsantrag',
    invite: ['HE', 'SN'],
  },
  mobility: { title: 'Digitale Mobilitätsplattform', topic: 'mobility' },
  percent: { title: 'Förderquote 100% digital', topic: 'egovernment', ressort: 'StMI' },
  overdue: {
    title: 'Fristenkontrolle',
    topic: 'digital_work',
    periods: { review: 'PT2S', reminderBefore: 'PT1S', escalationGrace: 'PT10M' },
  },
  adopted: { title: 'Gemeinsame Cloud', topic: 'infrastructure_economy' },
  nw: { title: 'Schulportal NRW-Bayern', topic: 'education', ressort: 'MWIKE' },
};
/** Who proposes each (default: the BY proposer, who has no Ressort in the token). */
const proposerOf = (name: string) =>
  name === 'nw' ? who.proposerNW : name === 'quantum' ? who.proposerStMD : who.proposerBY;

beforeAll(async () => {
  reviewerSN = await token({ sub: 'r-sn', land: 'SN', roles: ['reviewer'] });
  // created one after another so that newest-first has a defined order
  for (const [name, overrides] of Object.entries(specs)) {
    const response = await harness.post('/v1/initiatives', proposerOf(name), newInitiative(overrides));
    if (response.status !== 201)
      throw new Error(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
    made[name] = response.body;
  }
  const id = (name: string) => made[name]?.id ?? '';
  for (const reviewer of [who.reviewerBY, who.reviewerNW])
    await harness.post(`/v1/initiatives/${id('adopted')}/reviews`, reviewer, { decision: 'approve' });
  await harness.post(`/v1/initiatives/${id('mobility')}/withdrawal`, who.proposerBY, { reason: 'Erledigt.' });
  await waitForInitiative(harness, id('overdue'), who.viewer, (i) => i.overdue, {
    timeoutMs: 15_000,
    what: 'overdue',
  });
}, 60_000);

const ids = (...names: string[]) => names.map((n) => made[n]?.id);
/** All created, newest first. */
const newestFirst = () => Object.keys(specs).reverse();

async function list(query: string, tokenValue = who.viewer): Promise<string[]> {
  const response = await harness.get<List>(`/v1/initiatives${query ? `?${query}` : ''}`, tokenValue);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.items.map((i) => i.id);
}

describe('filters', () => {
  it('no filter: everything, newest first', async () => {
    expect(await list('')).toEqual(ids(...newestFirst()));
    const response = await harness.get<List>('/v1/initiatives', who.viewer);
    expect(response.body.nextCursor).toBeNull();
    const created = response.body.items.map((i) => Date.parse(i.createdAt));
    for (let i = 1; i < created.length; i++) expect(created[i]).toBeLessThanOrEqual(created[i - 1] ?? 0);
  });

  it('phase', async () => {
    expect(await list('phase=adopted')).toEqual(ids('adopted'));
    expect(await list('phase=withdrawn')).toEqual(ids('mobility'));
    expect(await list('phase=review')).toEqual(
      ids(...newestFirst().filter((n) => n !== 'adopted' && n !== 'mobility')),
    );
    expect(await list('phase=cabinet')).toEqual([]);
  });

  it('topic', async () => {
    expect(await list('topic=ehealth')).toEqual(ids('healthHE', 'health'));
    expect(await list('topic=cybersecurity')).toEqual(ids('motion'));
  });

  it('channel', async () => {
    expect(await list('channel=bundesrat')).toEqual(ids('motion'));
    expect(await list('channel=joint')).toEqual(ids(...newestFirst().filter((n) => n !== 'motion')));
  });

  it('land (participant)', async () => {
    expect(await list('land=HE')).toEqual(ids('motion', 'healthHE'));
    expect(await list('land=SN')).toEqual(ids('motion'));
    expect(await list('land=BW')).toEqual([]);
    // the partners take part in everything
    expect(await list('land=NW')).toEqual(ids(...newestFirst()));
  });

  it('overdue', async () => {
    expect(await list('overdue=true')).toEqual(ids('overdue'));
    expect(await list('overdue=false')).toEqual(ids(...newestFirst().filter((n) => n !== 'overdue')));
  });

  it('ressort (the lead Ressort, by key)', async () => {
    expect(made.quantum?.leadRessort).toEqual({ land: 'BY', key: 'StMD' });
    expect(await list('ressort=StMD')).toEqual(ids('quantum'));
    expect(await list('ressort=StMI')).toEqual(ids('percent'));
    expect(await list('ressort=MWIKE')).toEqual(ids('nw'));
    expect(await list('ressort=StK')).toEqual([]);
    for (const bad of ['Nope', 'stmd', '']) {
      const response = await harness.get<{ errors?: { path: string }[] }>(
        `/v1/initiatives?ressort=${bad}`,
        who.viewer,
      );
      expect(response.status, bad).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('the OpenAPI document offers every Ressort key as the choices of `ressort` (the web list reads them)', async () => {
    type Parameter = { in: string; name: string; schema?: { enum?: string[] } };
    const document = (
      await harness.get<{ paths: Record<string, { get?: { parameters?: Parameter[] } }> }>('/openapi.json')
    ).body;
    for (const path of ['/v1/initiatives', '/v1/tasks']) {
      const ressort = document.paths[path]?.get?.parameters?.find(
        (p) => p.in === 'query' && p.name === 'ressort',
      );
      expect(ressort?.schema?.enum, path).toEqual(RESSORTS.map((r) => r.key));
    }
  });

  it('q: case-insensitive text in title or summary, wildcards taken literally', async () => {
    expect(await list('q=QUANTEN')).toEqual(ids('quantum'));
    expect(await list(`q=${encodeURIComponent('epa-pilot')}`)).toEqual(ids('health'));
    expect(await list(`q=${encodeURIComponent('100%')}`)).toEqual(ids('percent'));
    expect(await list(`q=${encodeURIComponent('%')}`)).toEqual(ids('percent'));
    expect(await list('q=_')).toEqual([]);
    expect(await list(`q=${encodeURIComponent('mobilitätsplattform')}`)).toEqual(ids('mobility'));
    expect(await list('q=nirgendwo')).toEqual([]);
  });

  it('filters combine', async () => {
    expect(await list('topic=ehealth&land=HE')).toEqual(ids('healthHE'));
    expect(await list('phase=review&topic=ehealth&q=telemedizin')).toEqual(ids('healthHE'));
    expect(await list('channel=bundesrat&overdue=true')).toEqual([]);
    expect(await list('ressort=StMI&topic=egovernment')).toEqual(ids('percent'));
    expect(await list('ressort=StMI&topic=ehealth')).toEqual([]);
    expect(await list('ressort=StMD', who.reviewerHE)).toEqual([]);
  });
});

describe('keyset pagination', () => {
  it.each([1, 2, 4])('limit=%i walks every item once, in order', async (limit) => {
    const all = await list('limit=100');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await harness.get<List>(`/v1/initiatives?${query}`, who.viewer);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...response.body.items.map((i) => i.id));
      cursor = response.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThanOrEqual(all.length + 1);
    } while (cursor);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(all.length / limit));
  });

  it('pagination respects filters', async () => {
    const first = await harness.get<List>('/v1/initiatives?phase=review&limit=3', who.viewer);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await harness.get<List>(
      `/v1/initiatives?phase=review&limit=3&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      who.viewer,
    );
    const seen = [...first.body.items, ...second.body.items];
    expect(seen.every((i) => i.phase === 'review')).toBe(true);
    expect(seen.map((i) => i.id)).toEqual((await list('phase=review&limit=100')).slice(0, seen.length));
  });

  it('a page cut exactly at the end has no next cursor', async () => {
    const all = await list('limit=100');
    const response = await harness.get<List>(`/v1/initiatives?limit=${all.length}`, who.viewer);
    expect(response.body.items).toHaveLength(all.length);
    expect(response.body.nextCursor).toBeNull();
    const short = await harness.get<List>(`/v1/initiatives?limit=${all.length - 1}`, who.viewer);
    expect(short.body.nextCursor).toEqual(expect.any(String));
  });

  it('the default limit is 20', async () => {
    // create enough to exceed it
    await Promise.all(
      Array.from({ length: 21 - Object.keys(specs).length + 1 }, (_, i) =>
        harness.post(
          '/v1/initiatives',
          who.proposerNW,
          newInitiative({ title: `Auffüllung ${i}`, topic: 'education' }),
        ),
      ),
    );
    const response = await harness.get<List>('/v1/initiatives', who.viewer);
    expect(response.body.items).toHaveLength(20);
    expect(response.body.nextCursor).toEqual(expect.any(String));
  });
});

describe('visibility', () => {
  it('a HE reviewer lists only the initiatives inviting HE', async () => {
    const seen = await list('limit=100', who.reviewerHE);
    expect(seen).toEqual(ids('motion', 'healthHE'));
    expect(await list('limit=100&topic=ehealth', who.reviewerHE)).toEqual(ids('healthHE'));
    expect(await list('limit=100', reviewerSN)).toEqual(ids('motion'));
  });

  it('a viewer and the partners list everything', async () => {
    const viewer = await list('limit=100', who.viewer);
    expect(viewer).toEqual(expect.arrayContaining(ids(...Object.keys(specs))));
    expect(await list('limit=100', who.reviewerBY)).toEqual(viewer);
    expect(await list('limit=100', who.proposerNW)).toEqual(viewer);
  });

  it('a HE reviewer gets 404 for an initiative that does not invite HE, 200 for one that does', async () => {
    for (const name of ['quantum', 'health', 'adopted', 'nw']) {
      const response = await harness.get(`/v1/initiatives/${made[name]?.id}`, who.reviewerHE);
      expect(response.status, name).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await harness.get(`/v1/initiatives/${made.healthHE?.id}`, who.reviewerHE)).status).toBe(200);
    expect((await harness.get(`/v1/initiatives/${made.motion?.id}`, reviewerSN)).status).toBe(200);
    expect((await harness.get(`/v1/initiatives/${made.healthHE?.id}`, reviewerSN)).status).toBe(404);
  });

  it('a filter on a Land one cannot see does not reveal anything', async () => {
    expect(await list('land=BY&limit=100', who.reviewerHE)).toEqual(ids('motion', 'healthHE'));
    expect(await list('q=quanten', who.reviewerHE)).toEqual([]);
  });
});
