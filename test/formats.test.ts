/**
 * Formats where the Ressorts meet (docs/formats.md), through the API with real PostgreSQL and Temporal:
 * plan, read rule (404 for uninvolved Länder), edit with If-Match before the minutes, minutes and their
 * corrections, the calendar list, the bad input of the spec, the format's audit chain under
 * /v1/audit/verify and /heads, the invitations the calendar feed reads, and a joint cabinet session
 * applying its decisions through the cabinet command.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { formatsInvited, type Format } from '../db/formats.js';
import { jcs, sha256Hex } from './helpers/chain.js';
import { newInitiative, token, useHarness, type Problem } from './kit/index.js';

const harness = useHarness();
const { who, flow } = harness;
let admin: string;
let raw: postgres.Sql;
let database: DatabaseHandle;

beforeAll(async () => {
  admin = await token({ sub: 'admin', name: 'Betrieb', land: 'BE', roles: ['admin'] });
  raw = postgres(harness.databaseUrl, { max: 1, onnotice: () => undefined });
  database = await openDatabase({ url: harness.databaseUrl, embeddedDir: '', max: 1 });
});
afterAll(async () => {
  await raw?.end();
  await database?.close();
});

const formatBody = (over: Record<string, unknown> = {}) => ({
  title: 'Fachdialog Verwaltungsportale',
  kind: 'fachdialog',
  date: '2027-02-10',
  time: '10:00',
  place: 'München, Staatskanzlei',
  topics: ['egovernment'],
  ressorts: [
    { land: 'BY', key: 'StMD' },
    { land: 'NW', key: 'MHKBD' },
  ],
  agenda: [{ title: 'Stand der Portale' }],
  ...over,
});

async function plan(tokenValue: string, body: Record<string, unknown>): Promise<Format> {
  const response = await harness.post<Format>('/v1/formats', tokenValue, body);
  if (response.status !== 201) throw new Error(`plan: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const put = (id: string, tokenValue: string, body: unknown, ifMatch?: string) =>
  harness.request<Format & Problem>('PUT', `/v1/formats/${id}`, {
    token: tokenValue,
    body,
    ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
  });
const minutes = (id: string, tokenValue: string, body: unknown) =>
  harness.post<Format & Problem>(`/v1/formats/${id}/minutes`, tokenValue, body);

describe('a format', () => {
  it('is planned by a partner, read by the Länder involved, edited with If-Match until the minutes', async () => {
    const practice = await harness.post<{ id: string }>('/v1/practices', who.proposerNW, {
      title: 'Digitaler Bauantrag',
      summary: 'Online gestellt.',
      topic: 'egovernment',
    });
    const created = await harness.post<Format>(
      '/v1/formats',
      who.proposerBY,
      formatBody({ agenda: [{ title: 'Bauantrag', practiceId: practice.body.id }] }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/v1/formats/${created.body.id}`);
    const format = created.body;
    expect(format).toMatchObject({
      version: 1,
      kind: 'fachdialog',
      land: 'BY',
      time: '10:00',
      minutes: null,
      initiatives: [],
      createdBy: { sub: 'p-by', name: 'A. Huber' },
    });

    // BY, NW and viewers read it; a Land that is not listed does not even learn it exists.
    for (const reader of [who.reviewerNW, who.cabinetBY, who.viewer])
      expect((await harness.get(`/v1/formats/${format.id}`, reader)).status).toBe(200);
    const hidden = await harness.get<Problem>(`/v1/formats/${format.id}`, who.reviewerHE);
    expect(hidden.status).toBe(404);
    expect((await harness.get(`/v1/formats/${format.id}/history`, who.reviewerHE)).status).toBe(404);

    // Inviting HE (no Ressorts on record: listed as a whole) makes it readable there.
    const stalePut = await put(format.id, who.proposerBY, formatBody(), '"7"');
    expect(stalePut.status).toBe(412);
    const edited = await put(
      format.id,
      who.proposerBY2,
      formatBody({ ressorts: [{ land: 'BY', key: 'StMD' }, { land: 'HE' }] }),
      '"1"',
    );
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect((await harness.get(`/v1/formats/${format.id}`, who.reviewerHE)).status).toBe(200);
    // Another Land's principal may read but not edit; a reviewer is no organiser.
    expect((await put(format.id, who.proposerHE, formatBody())).status).toBe(403);
    expect((await put(format.id, who.reviewerBY, formatBody())).status).toBe(403);

    const recorded = await minutes(format.id, who.cabinetBY, {
      text: 'Beide Länder stellen ihre Portale vor.',
      outcomes: [{ text: 'Gemeinsame Initiative prüfen.' }],
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.minutes).toMatchObject({
      version: 1,
      text: 'Beide Länder stellen ihre Portale vor.',
      by: { sub: 'c-by', land: 'BY' },
    });
    // After the minutes the format is a record: no more edits; minutes again only with a reason.
    expect((await put(format.id, who.proposerBY, formatBody())).status).toBe(409);
    const again = await minutes(format.id, who.cabinetBY, { text: 'Anders.', outcomes: [] });
    expect(again.status).toBe(409);
    const corrected = await minutes(format.id, who.proposerBY, {
      text: 'Beide Länder stellen ihre Portale vor; HE berichtet.',
      outcomes: [],
      reason: 'Beitrag Hessens ergänzt.',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.minutes).toMatchObject({ version: 2, reason: 'Beitrag Hessens ergänzt.' });
    expect(corrected.body.version).toBe(4);
    expect((await minutes(format.id, who.proposerNW, { text: 'x', outcomes: [], reason: 'y' })).status).toBe(
      403,
    );

    const history = await harness.get<{ items: { type: string; data: Record<string, unknown> }[] }>(
      `/v1/formats/${format.id}/history`,
      who.viewer,
    );
    expect(history.body.items.map((e) => e.type)).toEqual([
      'format_created',
      'format_revised',
      'minutes_recorded',
      'minutes_corrected',
    ]);
    // The first minutes are kept in the chain after their correction.
    expect(history.body.items[2]?.data).toMatchObject({
      version: 1,
      text: 'Beide Länder stellen ihre Portale vor.',
    });
  });

  it('refuses bad input with 400 and nothing stored, and non-partners and reviewers with 403', async () => {
    const before = await raw<[{ n: string }]>`select count(*) as n from formats`;
    const cases: [Record<string, unknown>, string][] = [
      [formatBody({ topics: ['astrology'] }), 'body/topics/0'],
      [formatBody({ ressorts: [{ land: 'BY', key: 'NoSuch' }] }), 'body/ressorts/0/key'],
      [formatBody({ ressorts: [{ land: 'HE', key: 'HMdI' }] }), 'body/ressorts/0/key'],
      [formatBody({ agenda: [{ title: 'x', practiceId: crypto.randomUUID() }] }), 'body/agenda/0/practiceId'],
      [formatBody({ agenda: [{ title: 'x', initiativeId: 'DD-2026-99999' }] }), 'body/agenda/0/initiativeId'],
    ];
    for (const [body, path] of cases) {
      const response = await harness.post<Problem>('/v1/formats', who.proposerBY, body);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body.errors?.map((e) => e.path)).toContain(path);
    }
    for (const body of [
      formatBody({ kind: 'party' }),
      formatBody({ date: '2027-02-30' }),
      formatBody({ time: '25:00' }),
      formatBody({ ressorts: [{ land: 'XX', key: 'StMD' }] }),
    ])
      expect((await harness.post('/v1/formats', who.proposerBY, body)).status).toBe(400);
    expect((await harness.post('/v1/formats', who.proposerHE, formatBody())).status).toBe(403);
    expect((await harness.post('/v1/formats', who.reviewerBY, formatBody())).status).toBe(403);
    const after = await raw<[{ n: string }]>`select count(*) as n from formats`;
    expect(after[0].n).toBe(before[0].n);

    const format = await plan(who.proposerNW, formatBody());
    const decision = await minutes(format.id, who.proposerNW, {
      text: 'Kein Kabinett.',
      outcomes: [{ text: 'x', initiativeId: (await flow.create()).id, cabinetDecision: 'approve' }],
    });
    expect(decision.status).toBe(400);
    const unlinked = await minutes(format.id, who.proposerNW, {
      text: 'x',
      outcomes: [{ text: 'x', cabinetDecision: 'approve' }],
    });
    expect(unlinked.status).toBe(400);
    expect(unlinked.body.errors?.[0]?.path).toBe('body/outcomes/0/initiativeId');
    expect((await harness.get(`/v1/formats/${format.id}`, who.viewer)).body).toMatchObject({ minutes: null });
  });

  it('lists the calendar by date with from, to and topic, in pages, only what the caller may read', async () => {
    const tag = `Kalender ${crypto.randomUUID().slice(0, 8)}`;
    const march = await plan(
      who.proposerBY,
      formatBody({ title: `${tag} A`, date: '2031-03-05', time: '14:00' }),
    );
    const marchEarly = await plan(
      who.proposerNW,
      formatBody({ title: `${tag} B`, date: '2031-03-05', time: undefined }),
    );
    const april = await plan(
      who.cabinetNW,
      formatBody({ title: `${tag} C`, kind: 'jour_fixe', date: '2031-04-01', topics: ['ehealth'] }),
    );
    const withThuringia = await plan(
      who.proposerBY,
      formatBody({ title: `${tag} D`, date: '2031-03-20', ressorts: [{ land: 'TH' }] }),
    );
    const list = (query: string, as = who.viewer) =>
      harness.get<{ items: Format[]; nextCursor: string | null }>(`/v1/formats?${query}`, as);
    const all = await list('from=2031-03-01&to=2031-04-30');
    expect(all.body.items.map((f) => f.id)).toEqual([marchEarly.id, march.id, withThuringia.id, april.id]);
    const health = await list('from=2031-03-01&to=2031-04-30&topic=ehealth');
    expect(health.body.items.map((f) => f.id)).toEqual([april.id]);
    const asThuringia = await list('from=2031-03-01&to=2031-04-30', who.reviewerTH);
    expect(asThuringia.body.items.map((f) => f.id)).toEqual([withThuringia.id]);
    const first = await list('from=2031-03-01&to=2031-04-30&limit=3');
    expect(first.body.items).toHaveLength(3);
    const second = await list(`from=2031-03-01&to=2031-04-30&limit=3&cursor=${first.body.nextCursor ?? ''}`);
    expect(second.body.items.map((f) => f.id)).toEqual([april.id]);
    expect(second.body.nextCursor).toBeNull();
    expect((await list('from=2031-05-01&to=2031-04-01')).status).toBe(400);
    expect((await list('topic=astrology')).status).toBe(400);
    expect((await list('cursor=bm9wZQ')).status).toBe(400);

    // The calendar feed's source: the formats a principal is invited to.
    const invitedTH = await formatsInvited(
      database.db,
      { land: 'TH' },
      { from: '2031-03-01', to: '2031-04-30' },
    );
    expect(invitedTH.map((f) => f.id)).toEqual([withThuringia.id]);
    expect(invitedTH[0]).toEqual({
      id: withThuringia.id,
      kind: 'fachdialog',
      title: `${tag} D`,
      date: '2031-03-20',
      time: '10:00',
      place: 'München, Staatskanzlei',
    });
    const invitedStMD = await formatsInvited(
      database.db,
      { land: 'BY', ressort: 'StMD' },
      { from: '2031-03-01', to: '2031-04-30' },
    );
    expect(invitedStMD.map((f) => f.id)).toEqual([marchEarly.id, march.id, april.id]);
    const invitedStMI = await formatsInvited(
      database.db,
      { land: 'BY', ressort: 'StMI' },
      { from: '2031-03-01', to: '2031-04-30' },
    );
    expect(invitedStMI).toEqual([]);
  });

  it('keeps an audit chain that verifies, exports its head and detects an altered row', async () => {
    const format = await plan(who.proposerBY, formatBody({ title: 'Werkstatt Register' }));
    await minutes(format.id, who.proposerBY, { text: 'Protokoll.', outcomes: [] });
    const history = await harness.get<{
      items: {
        seq: number;
        at: string;
        type: string;
        actor: unknown;
        data: Record<string, unknown>;
        prevHash: string;
        hash: string;
      }[];
    }>(`/v1/formats/${format.id}/history`, who.reviewerNW);
    let prev = '0'.repeat(64);
    for (const e of history.body.items) {
      expect(e.prevHash).toBe(prev);
      const { seq, at, type, actor, data } = e;
      expect(e.hash).toBe(sha256Hex(prev + jcs({ formatId: format.id, seq, at, type, actor, data })));
      prev = e.hash;
    }
    const intact = await harness.get<{ ok: boolean }>('/v1/audit/verify', admin);
    expect(intact.body.ok).toBe(true);
    const heads = await harness.get<{
      formatHeads: { formatId: string; seq: number; hash: string }[];
      formatDigest: string;
    }>('/v1/audit/heads', admin);
    expect(heads.body.formatHeads).toContainEqual({ formatId: format.id, seq: 2, hash: prev });
    expect(heads.body.formatDigest).toBe(sha256Hex(jcs(heads.body.formatHeads)));

    await expect(raw`delete from format_audit_events where format_id = ${format.id}`).rejects.toThrow(
      /append-only/,
    );
    await raw.begin(async (tx) => {
      await tx`alter table format_audit_events disable trigger format_audit_events_append_only`;
      await tx`update format_audit_events set data = ${tx.json({ text: 'Gefälscht.' })}
               where format_id = ${format.id} and seq = 2`;
      await tx`alter table format_audit_events enable trigger format_audit_events_append_only`;
    });
    const broken = await harness.get<{ ok: boolean; firstBroken?: Record<string, unknown> }>(
      '/v1/audit/verify',
      admin,
    );
    expect(broken.body.ok).toBe(false);
    expect(broken.body.firstBroken).toMatchObject({ formatId: format.id, seq: 2 });
    // Put it back, so that later tests in this file see an intact trail.
    await raw.begin(async (tx) => {
      await tx`alter table format_audit_events disable trigger format_audit_events_append_only`;
      await tx`delete from format_audit_events where format_id = ${format.id}`;
      await tx`alter table format_audit_events enable trigger format_audit_events_append_only`;
    });
  });
});

describe('initiatives from a format and from practices', () => {
  it('starts an initiative from an outcome: it carries originFormat and basedOn, both sides list it', async () => {
    const practice = await harness.post<{ id: string; initiatives: string[] }>(
      '/v1/practices',
      who.proposerNW,
      {
        title: 'Digitaler Bauantrag NRW',
        summary: 'Bauanträge online.',
        topic: 'egovernment',
      },
    );
    const format = await plan(who.proposerBY, formatBody({ title: 'Werkstatt Bauen digital' }));
    await minutes(format.id, who.proposerBY, {
      text: 'Der Bauantrag NRW soll gemeinsam weiterentwickelt werden.',
      outcomes: [{ text: 'Gemeinsame Initiative starten.' }],
    });
    const created = await harness.post<{ id: string; originFormat?: string; basedOn?: string[] }>(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ originFormat: format.id, basedOn: [practice.body.id] }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ originFormat: format.id, basedOn: [practice.body.id] });
    const history = await flow.history(created.body.id);
    expect(history[0]?.data).toMatchObject({ originFormat: format.id, basedOn: [practice.body.id] });

    const formatNow = await harness.get<Format>(`/v1/formats/${format.id}`, who.reviewerNW);
    expect(formatNow.body.initiatives).toEqual([created.body.id]);
    const practiceNow = await harness.get<{ initiatives: string[] }>(
      `/v1/practices/${practice.body.id}`,
      who.viewer,
    );
    expect(practiceNow.body.initiatives).toEqual([created.body.id]);
    // A Land that cannot read the initiative does not see it listed under the practice.
    const asHesse = await harness.get<{ initiatives: string[] }>(
      `/v1/practices/${practice.body.id}`,
      who.reviewerHE,
    );
    expect(asHesse.body.initiatives).toEqual([]);
    const listed = await harness.get<{ items: { id: string; initiatives: string[] }[] }>(
      `/v1/practices?q=${encodeURIComponent('Bauantrag NRW')}`,
      who.viewer,
    );
    expect(listed.body.items.find((p) => p.id === practice.body.id)?.initiatives).toEqual([created.body.id]);

    // Unknown origins are 400, and nothing is started.
    const unknownFormat = await harness.post<Problem>(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ originFormat: crypto.randomUUID() }),
    );
    expect(unknownFormat.status).toBe(400);
    expect(unknownFormat.body.errors?.map((e) => e.path)).toEqual(['body/originFormat']);
    const unknownPractice = await harness.post<Problem>(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ basedOn: [practice.body.id, crypto.randomUUID()] }),
    );
    expect(unknownPractice.status).toBe(400);
    expect(unknownPractice.body.errors?.map((e) => e.path)).toEqual(['body/basedOn/1']);
    expect((await harness.get<Format>(`/v1/formats/${format.id}`, who.viewer)).body.initiatives).toHaveLength(
      1,
    );
  });
});

describe('a joint cabinet session', () => {
  it('records two initiatives’ cabinet decisions at once, through the cabinet command, one refusal apart', async () => {
    const first = await flow.toCabinet();
    const second = await flow.toCabinet();
    const inReview = await flow.create();
    const session = await plan(
      who.cabinetBY,
      formatBody({
        title: 'Gemeinsame Kabinettssitzung',
        kind: 'joint_cabinet',
        date: '2026-11-24',
        time: undefined,
      }),
    );
    // Before the minutes there is nothing to apply; only a cabinet principal applies.
    expect(
      (await harness.post(`/v1/formats/${session.id}/cabinet-decisions`, who.cabinetBY, {})).status,
    ).toBe(409);
    const recorded = await minutes(session.id, who.cabinetBY, {
      text: 'Beide Kabinette beschließen die Anträge.',
      outcomes: [
        { text: 'Antrag 1 gebilligt.', initiativeId: first.id, cabinetDecision: 'approve' },
        { text: 'Antrag 2 abgelehnt.', initiativeId: second.id, cabinetDecision: 'decline' },
        { text: 'Noch in der Prüfung.', initiativeId: inReview.id, cabinetDecision: 'approve' },
        { text: 'Weiter beobachten.' },
      ],
    });
    expect(recorded.status).toBe(200);
    expect(
      (await harness.post(`/v1/formats/${session.id}/cabinet-decisions`, who.proposerBY, {})).status,
    ).toBe(403);
    expect(
      (await harness.post(`/v1/formats/${session.id}/cabinet-decisions`, who.cabinetHE, {})).status,
    ).toBe(404);

    const applied = await harness.post<{
      results: { initiativeId: string; status: number; problem?: Problem }[];
    }>(`/v1/formats/${session.id}/cabinet-decisions`, who.cabinetBY, {});
    expect(applied.status).toBe(200);
    expect(applied.body.results.map(({ initiativeId, status }) => ({ initiativeId, status }))).toEqual([
      { initiativeId: first.id, status: 200 },
      { initiativeId: second.id, status: 200 },
      { initiativeId: inReview.id, status: 409 },
    ]);
    expect(applied.body.results[2]?.problem).toMatchObject({ status: 409 });
    const firstNow = await flow.get(first.id);
    expect(firstNow.cabinetDecisions).toContainEqual(
      expect.objectContaining({ land: 'BY', status: 'approved', decidedOn: '2026-11-24' }),
    );
    const secondNow = await flow.get(second.id);
    expect(secondNow.cabinetDecisions).toContainEqual(
      expect.objectContaining({ land: 'BY', status: 'declined', decidedOn: '2026-11-24' }),
    );
    // The same audit events as a single decision writes.
    expect((await flow.history(first.id)).map((e) => e.type)).toContain('cabinet_decided');

    // NW's cabinet applies the same minutes for NW: the first initiative goes on to the Bundesrat.
    const nw = await harness.post<{ results: { initiativeId: string; status: number }[] }>(
      `/v1/formats/${session.id}/cabinet-decisions`,
      who.cabinetNW,
      undefined,
    );
    expect(nw.status).toBe(200);
    expect(nw.body.results[0]).toEqual({ initiativeId: first.id, status: 200 });
    expect((await flow.get(first.id)).phase).toBe('bundesrat');

    // A non-joint format has no decisions to apply.
    const dialog = await plan(who.cabinetBY, formatBody());
    expect((await harness.post(`/v1/formats/${dialog.id}/cabinet-decisions`, who.cabinetBY, {})).status).toBe(
      409,
    );
  });
});
