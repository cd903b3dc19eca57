/**
 * The best-practice catalogue through the API (docs/practices.md): create, read, edit with If-Match, the
 * German full-text search (stemming, ranking, filters, keyset pages), interest by other Länder, the bad
 * input of the spec, and each practice's audit chain under GET /v1/audit/verify and /heads. The same
 * search is run on the embedded database (PGlite) that `npm start` uses without DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { createPracticeRepository, type Practice } from '../db/practices.js';
import { jcs, sha256Hex } from './helpers/chain.js';
import { anyString, token, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;
let admin: string;
let raw: postgres.Sql;

beforeAll(async () => {
  admin = await token({ sub: 'admin', name: 'Betrieb', land: 'BE', roles: ['admin'] });
  raw = postgres(harness.databaseUrl, { max: 1, onnotice: () => undefined });
});
afterAll(async () => {
  await raw?.end();
});

const practiceBody = (over: Record<string, unknown> = {}) => ({
  title: 'Digitaler Bauantrag',
  summary: 'Bauanträge werden vollständig online gestellt und von den Bauämtern digital bearbeitet.',
  topic: 'egovernment',
  ...over,
});

async function create(tokenValue: string, body: Record<string, unknown>): Promise<Practice> {
  const response = await harness.post<Practice>('/v1/practices', tokenValue, body);
  if (response.status !== 201) throw new Error(`create: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

interface Page {
  items: Practice[];
  nextCursor: string | null;
}
const search = (query: string, tokenValue = who.viewer) =>
  harness.get<Page>(`/v1/practices?${query}`, tokenValue);

describe('the catalogue', () => {
  it('adds a practice in the caller’s Land, with an ETag and a Location, and reads it back', async () => {
    const response = await harness.post<Practice>(
      '/v1/practices',
      who.proposerNW,
      practiceBody({
        ressort: 'MHKBD',
        url: 'https://example.org/bauantrag',
        contact: { name: 'K. Becker', email: 'k.becker@example.org' },
        tags: ['Bauen', 'Onlinezugang'],
      }),
    );
    expect(response.status).toBe(201);
    const practice = response.body;
    expect(practice).toMatchObject({
      version: 1,
      land: 'NW',
      topic: 'egovernment',
      ressort: 'MHKBD',
      tags: ['Bauen', 'Onlinezugang'],
      createdBy: { sub: 'p-nw', name: 'K. Becker' },
      interest: [],
    });
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('location')).toBe(`/v1/practices/${practice.id}`);
    const read = await harness.get<Practice>(`/v1/practices/${practice.id}`, who.reviewerHE);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(practice);
  });

  it('lists the topics as data', async () => {
    const response = await harness.get<{ key: string; name: { de: string } }[]>('/v1/topics', who.viewer);
    expect(response.status).toBe(200);
    expect(response.body.map((t) => t.key)).toContain('egovernment');
    expect(response.body.find((t) => t.key === 'mobility')?.name.de).toBe('Mobilität');
  });

  it('refuses unknown topics and Länder (400) and roles that may not add (403), changing nothing', async () => {
    const before = await search('limit=100');
    const unknownTopic = await harness.post(
      '/v1/practices',
      who.proposerBY,
      practiceBody({ topic: 'weltraum' }),
    );
    expect(unknownTopic.status).toBe(400);
    expect(unknownTopic.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(unknownTopic.body).toMatchObject({ errors: [{ path: 'body/topic' }] });
    expect((await search('topic=weltraum')).status).toBe(400);
    expect((await search('land=XX')).status).toBe(400);
    expect((await harness.post('/v1/practices', who.cabinetBY, practiceBody())).status).toBe(403);
    expect((await harness.post('/v1/practices', who.viewer, practiceBody())).status).toBe(403);
    expect((await search('limit=100')).body.items).toHaveLength(before.body.items.length);
  });

  it("refuses a Ressort that is not one of the caller's Land (400 body/ressort), storing nothing", async () => {
    const before = await search('limit=100');
    for (const [as, ressort] of [
      [who.proposerBY, 'Digitalministerium'], // free text, no key
      [who.proposerBY, 'stmd'], // keys are case-sensitive
      [who.reviewerBY, 'MHKBD'], // NW's
      [who.proposerNW, 'StMD'], // BY's
      [who.reviewerHE, 'StMD'], // HE has no Ressorts on record
      [who.proposerHE, 'HMdIS'],
    ] as const) {
      const refused = await harness.post<{ errors: { path: string; message: string }[] }>(
        '/v1/practices',
        as,
        practiceBody({ title: 'Nicht anzulegen', ressort }),
      );
      expect(refused.status, ressort).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(refused.body.errors.map((e) => e.path)).toEqual(['body/ressort']);
      expect(refused.body.errors[0]?.message).toContain(`"${ressort}"`);
    }
    expect((await search('limit=100')).body.items).toHaveLength(before.body.items.length);
    expect((await search('q=anzulegen')).body.items).toEqual([]);

    // A key of the caller's own Land is stored; a Land without Ressorts on record leaves `ressort` out.
    const byDigital = await create(who.reviewerBY, practiceBody({ title: 'Digitallotsen', ressort: 'StMD' }));
    expect(byDigital).toMatchObject({ land: 'BY', ressort: 'StMD' });
    const hessian = await create(who.proposerHE, practiceBody({ title: 'Hessen-Portal' }));
    expect(hessian).toMatchObject({ land: 'HE', ressort: null });
  });
});

describe('editing', () => {
  it('takes If-Match, answers 412 when stale and 403 for another Land', async () => {
    const practice = await create(who.proposerBY, practiceBody({ title: 'BayernID für Vereine' }));
    const edit = (tokenValue: string, headers: Record<string, string>, over: Record<string, unknown> = {}) =>
      harness.request<Practice>('PUT', `/v1/practices/${practice.id}`, {
        token: tokenValue,
        headers,
        body: practiceBody({ title: 'BayernID für Vereine und Verbände', ...over }),
      });
    const edited = await edit(who.reviewerBY, { 'if-match': '"1"' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, title: 'BayernID für Vereine und Verbände' });
    expect(edited.headers.get('etag')).toBe('"2"');

    const stale = await edit(who.proposerBY, { 'if-match': '"1"' }, { title: 'Veraltet' });
    expect(stale.status).toBe(412);
    const other = await edit(who.proposerNW, { 'if-match': '"2"' }, { title: 'Fremd' });
    expect(other.status).toBe(403);
    const badTopic = await edit(who.proposerBY, { 'if-match': '"2"' }, { topic: 'weltraum' });
    expect(badTopic.status).toBe(400);
    const missing = await harness.request('PUT', `/v1/practices/${crypto.randomUUID()}`, {
      token: who.proposerBY,
      body: practiceBody(),
    });
    expect(missing.status).toBe(404);
    const read = await harness.get<Practice>(`/v1/practices/${practice.id}`, who.viewer);
    expect(read.body).toMatchObject({ version: 2, title: 'BayernID für Vereine und Verbände' });
  });

  it("refuses a Ressort that is not one of the practice's Land (400 body/ressort), changing nothing", async () => {
    const practice = await create(
      who.proposerBY,
      practiceBody({ title: 'Digitale Baugenehmigung', ressort: 'StMB' }),
    );
    const edit = (ressort: string | undefined, ifMatch: string) =>
      harness.request<{ errors?: { path: string }[] } & Practice>('PUT', `/v1/practices/${practice.id}`, {
        token: who.proposerBY,
        headers: { 'if-match': ifMatch },
        body: practiceBody({
          title: 'Digitale Baugenehmigung',
          ...(ressort === undefined ? {} : { ressort }),
        }),
      });
    for (const ressort of ['MHKBD', 'Bauministerium', 'STMD']) {
      const refused = await edit(ressort, '"1"');
      expect(refused.status, ressort).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(refused.body.errors?.map((e) => e.path)).toEqual(['body/ressort']);
    }
    // 400 ranks before 404: an unknown Ressort on an unknown practice is a 400 as well.
    const missing = await harness.request('PUT', `/v1/practices/${crypto.randomUUID()}`, {
      token: who.proposerBY,
      body: practiceBody({ ressort: 'MHKBD' }),
    });
    expect(missing.status).toBe(400);
    const unchanged = await harness.get<Practice>(`/v1/practices/${practice.id}`, who.viewer);
    expect(unchanged.body).toMatchObject({ version: 1, ressort: 'StMB' });
    expect(
      (await harness.get<{ items: unknown[] }>(`/v1/practices/${practice.id}/history`, who.viewer)).body
        .items,
    ).toHaveLength(1);

    const moved = await edit('StMD', '"1"');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ version: 2, ressort: 'StMD' });
    const dropped = await edit(undefined, '"2"');
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({ version: 3, ressort: null });
  });
});

describe('interest', () => {
  it('is declared once per Land by other Länder: again → 409, the own Land → 409', async () => {
    const practice = await create(who.proposerBY, practiceBody({ title: 'Schulcloud', topic: 'education' }));
    const declare = (tokenValue: string, body: unknown = {}) =>
      harness.post<Practice>(`/v1/practices/${practice.id}/interest`, tokenValue, body);
    const first = await declare(who.cabinetHE, { comment: 'Übernahme 2027 geplant.' });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(first.body.interest).toEqual([{ land: 'HE', at: anyString, comment: 'Übernahme 2027 geplant.' }]);
    expect((await declare(who.reviewerHE)).status).toBe(409);
    expect((await declare(who.reviewerBY)).status).toBe(409);
    expect((await declare(who.viewer)).status).toBe(403);
    expect(
      (await harness.post(`/v1/practices/${crypto.randomUUID()}/interest`, who.reviewerNW, {})).status,
    ).toBe(404);
    const second = await declare(who.reviewerNW);
    expect(second.status).toBe(200);
    expect(second.body.interest.map((i) => i.land)).toEqual(['HE', 'NW']);
    const read = await harness.get<Practice>(`/v1/practices/${practice.id}`, who.viewer);
    expect(read.body.interest.map((i) => i.land)).toEqual(['HE', 'NW']);
    expect(read.body.version).toBe(3);
  });
});

describe('search', () => {
  let portalTitle: Practice;
  let portalSummary: Practice;
  beforeAll(async () => {
    portalSummary = await create(
      who.proposerNW,
      practiceBody({
        title: 'Servicekonto für Bürgerinnen und Bürger',
        summary: 'Ein Konto für alle Anträge, angebunden an das Verwaltungsportal des Landes.',
      }),
    );
    portalTitle = await create(
      who.proposerBY,
      practiceBody({ title: 'Verwaltungsportal Bayern', summary: 'Zentrale Anlaufstelle für Anträge.' }),
    );
    await create(
      who.proposerBY,
      practiceBody({ title: 'Telenotarzt', summary: 'Notfallmedizin per Video.', topic: 'ehealth' }),
    );
  });

  it('finds "Verwaltungsportal" for "Verwaltungsportale" and ranks a title hit above a summary hit', async () => {
    const response = await search('q=Verwaltungsportale');
    expect(response.status).toBe(200);
    expect(response.body.items.map((p) => p.id)).toEqual([portalTitle.id, portalSummary.id]);
  });

  it('filters by topic and Land, with the search or without', async () => {
    const health = await search('topic=ehealth');
    expect(health.body.items.map((p) => p.title)).toEqual(['Telenotarzt']);
    const nwPortal = await search('q=Verwaltungsportal&land=NW');
    expect(nwPortal.body.items.map((p) => p.id)).toEqual([portalSummary.id]);
    expect((await search('q=Verwaltungsportal&topic=ehealth')).body.items).toEqual([]);
  });

  it('pages with a cursor, ranked pages as well, and refuses a cursor of another kind', async () => {
    const all = await search('limit=100');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page } = await search(
        `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((p) => p.id));

    const first = await search('q=Verwaltungsportal&limit=1');
    expect(first.body.items.map((p) => p.id)).toEqual([portalTitle.id]);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await search(`q=Verwaltungsportal&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((p) => p.id)).toEqual([portalSummary.id]);
    expect(second.body.nextCursor).toBeNull();
    expect((await search(`limit=1&cursor=${first.body.nextCursor}`)).status).toBe(400);
    expect((await search('cursor=bm9wZQ')).status).toBe(400);
  });

  it('uses the GIN index on the German document', async () => {
    await raw`set enable_seqscan = off`;
    const plan = await raw<{ 'QUERY PLAN': string }[]>`explain select id from practices
      where search @@ websearch_to_tsquery('german', 'Verwaltungsportale')`;
    await raw`reset enable_seqscan`;
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('practices_search_idx');
  });
});

interface Verification {
  ok: boolean;
  checked: number;
  firstBroken?: { practiceId?: string; initiativeId?: string; seq: number; reason: string };
}
interface HistoryItem {
  seq: number;
  at: string;
  type: string;
  actor: unknown;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

describe('the audit chain of a practice', () => {
  it('records every change, verifies, exports its head, and detects an altered row', async () => {
    const practice = await create(who.reviewerNW, practiceBody({ title: 'KI-Assistenz im Bürgerbüro' }));
    await harness.request('PUT', `/v1/practices/${practice.id}`, {
      token: who.reviewerNW,
      headers: { 'if-match': '"1"' },
      body: practiceBody({ title: 'KI-Assistenz im Bürgerbüro (Pilot)' }),
    });
    await harness.post(`/v1/practices/${practice.id}/interest`, who.reviewerTH, {});
    const history = await harness.get<{ items: HistoryItem[] }>(
      `/v1/practices/${practice.id}/history`,
      who.viewer,
    );
    expect(history.status).toBe(200);
    expect(history.body.items.map((e) => e.type)).toEqual([
      'practice_created',
      'practice_revised',
      'interest_declared',
    ]);
    // The chain's form, recomputed here with the test's own JCS: hash = sha256(prevHash + JCS(event)).
    let prev = '0'.repeat(64);
    for (const e of history.body.items) {
      expect(e.prevHash).toBe(prev);
      const { seq, at, type, actor, data } = e;
      expect(e.hash).toBe(sha256Hex(prev + jcs({ practiceId: practice.id, seq, at, type, actor, data })));
      prev = e.hash;
    }
    expect((await harness.get(`/v1/practices/${crypto.randomUUID()}/history`, who.viewer)).status).toBe(404);

    const [{ count }] = await raw<[{ count: number }]>`select
      (select count(*) from audit_events) + (select count(*) from practice_audit_events)
      + (select count(*) from format_audit_events) as count`;
    const intact = await harness.get<Verification>('/v1/audit/verify', admin);
    expect(intact.body).toEqual({ ok: true, checked: Number(count) });

    const heads = await harness.get<{
      practiceHeads: { practiceId: string; seq: number; hash: string }[];
      practiceDigest: string;
    }>('/v1/audit/heads', admin);
    expect(heads.status).toBe(200);
    expect(heads.body.practiceHeads).toContainEqual({ practiceId: practice.id, seq: 3, hash: prev });
    expect(heads.body.practiceDigest).toBe(sha256Hex(jcs(heads.body.practiceHeads)));

    // The database itself refuses to change the chain …
    await expect(
      raw`update practice_audit_events set type = 'x' where practice_id = ${practice.id}`,
    ).rejects.toThrow(/append-only/);
    // … and a superuser who switches the trigger off is caught by the verification.
    await raw.begin(async (tx) => {
      await tx`alter table practice_audit_events disable trigger practice_audit_events_append_only`;
      await tx`update practice_audit_events set data = ${tx.json({ land: 'SN' })}
               where practice_id = ${practice.id} and seq = 3`;
      await tx`alter table practice_audit_events enable trigger practice_audit_events_append_only`;
    });
    const broken = await harness.get<Verification>('/v1/audit/verify', admin);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.firstBroken).toMatchObject({ practiceId: practice.id, seq: 3 });
    expect(broken.body.firstBroken?.reason).toMatch(/hash does not match/);
  });
});

describe('on the embedded database (PGlite, `npm start` without DATABASE_URL)', () => {
  it('stems, ranks, filters and pages the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-pglite-practices-'));
    const handle = await openDatabase({ embeddedDir: dir });
    try {
      await handle.migrate();
      const repository = createPracticeRepository(handle.db);
      const actor = { sub: 'p-by', name: 'A. Huber', land: 'BY' as const, role: 'proposer' as const };
      const summaryHit = await repository.create(
        practiceBody({ title: 'Servicekonto', summary: 'Angebunden an das Verwaltungsportal.' }),
        'NW',
        { ...actor, land: 'NW' },
      );
      const titleHit = await repository.create(
        practiceBody({ title: 'Verwaltungsportal Bayern' }),
        'BY',
        actor,
      );
      const first = await repository.list({ q: 'Verwaltungsportale' }, 1);
      expect(first.items.map((p) => p.id)).toEqual([titleHit.id]);
      expect(first.next?.rank).toBeGreaterThan(0);
      const second = await repository.list({ q: 'Verwaltungsportale' }, 1, first.next);
      expect(second.items.map((p) => p.id)).toEqual([summaryHit.id]);
      expect((await repository.list({ q: 'Verwaltungsportale', land: 'NW' }, 10)).items).toHaveLength(1);
      const interest = await repository.declareInterest(titleHit.id, 'HE', undefined, {
        ...actor,
        land: 'HE',
      });
      expect(interest.ok).toBe(true);
      expect(
        (await repository.declareInterest(titleHit.id, 'HE', undefined, { ...actor, land: 'HE' })).ok,
      ).toBe(false);
      expect(await repository.history(titleHit.id)).toHaveLength(2);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
