/**
 * The authorisation matrix: every endpoint × role × Land (own = the lead Land, partner, third = an
 * invited/joined Land, none) × initiative visibility (private in review, public in the Bundesrat stage,
 * closed), plus the proposer in person ("self") and no token at all. The expected status of every cell
 * comes from the reference model of docs/domain.md, in docs/api.md's precedence. Commands carry a stale If-Match,
 * so an allowed command that fits the state answers 412 and nothing changes: 404 (not readable) · 403
 * (not allowed) · 409 (does not fit) · 412 (allowed). Then precedence and property-level checks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import type { Land, Role } from '../workflows/domain.js';
import {
  type ApiResponse,
  addDays,
  berlinToday,
  expectStatus,
  newInitiative,
  token,
  useHarness,
} from './kit/index.js';
import { stateFingerprint } from './helpers/fingerprint.js';
import {
  canRead,
  correctionStatus,
  fits,
  mayAct,
  modelOf,
  type Command,
  type ModelInitiative,
  type Principal,
  type Session,
} from './helpers/reference-model.js';
import { StatusTally } from './helpers/tally.js';

const ROLES: Role[] = ['proposer', 'reviewer', 'cabinet', 'liaison', 'viewer', 'admin'];
/** Relative to the fixtures: all are proposed by p-by of BY, with HE invited (or joined), SN uninvolved. */
const RELATIONS = { self: 'BY', own: 'BY', partner: 'NW', third: 'HE', none: 'SN' } as const satisfies Record<
  string,
  Land
>;
type Relation = keyof typeof RELATIONS;
const PROPOSER_SUB = 'p-by';
const STALE = '"999999"';
const LEAD_DAYS = 14;

interface Cell {
  endpoint: string;
  who: string;
  column: string;
  expected: number;
  send: () => Promise<ApiResponse>;
}

interface Actor {
  label: string;
  principal: Principal;
  authorization: string;
}

const harness = useHarness();
const { who, flow } = harness;
let actors: Actor[];
let fixtures: { column: string; resource: Initiative; model: ModelInitiative }[];
let calendar: Session[];
let webhookId: string;
const cells = new StatusTally();
const failures: string[] = [];
let drucksache = 200;

beforeAll(async () => {
  actors = await Promise.all(
    ROLES.flatMap((role) =>
      (Object.keys(RELATIONS) as Relation[]).map(async (relation) => {
        const principal = {
          sub: relation === 'self' ? PROPOSER_SUB : `${role}-${relation}`,
          land: RELATIONS[relation],
          roles: [role],
        };
        return { label: `${role}/${relation}`, principal, authorization: `Bearer ${await token(principal)}` };
      }),
    ),
  );
  // Private: in review, HE invited. Public: in the Bundesrat stage, HE joined. Closed: withdrawn, HE invited.
  const [inReview, inBundesrat, closed] = await Promise.all([
    flow.motion({ invite: ['HE'] }),
    (async () => {
      const cabinet = await flow.toCabinet({}, ['HE']);
      for (const cabinetOf of [who.cabinetBY, who.cabinetNW, who.cabinetHE])
        await flow.command(cabinet.id, '/cabinet-decisions', cabinetOf, {
          decision: 'approve',
          decidedOn: '2026-11-20',
        });
      return flow.get(cabinet.id);
    })(),
    (async () => {
      const created = await flow.create({ invite: ['HE'] });
      return flow.command(created.id, '/withdrawal', who.proposerBY, { reason: 'Fixture.' });
    })(),
  ]);
  expect(inBundesrat.phase).toBe('bundesrat');
  fixtures = [
    { column: 'private (review)', resource: inReview, model: modelOf(inReview) },
    { column: 'public (bundesrat)', resource: inBundesrat, model: modelOf(inBundesrat) },
    { column: 'closed (withdrawn)', resource: closed, model: modelOf(closed) },
  ];
  const sessions = expectStatus(
    await harness.get<Session[]>('/v1/bundesrat/sessions', who.viewer),
    200,
    'calendar',
  );
  calendar = sessions.map(({ number, date }) => ({ number, date }));
  webhookId = expectStatus(
    await harness.post<{ id: string }>('/v1/webhooks', who.admin, {
      url: 'http://127.0.0.1:9/matrix',
      events: ['outcome'],
      secret: 'matrix-secret-0123456789',
    }),
    201,
    'webhook',
  ).id;
}, 180_000);

/** The commands on an initiative, each with a valid body (so that nothing but authorisation and state decide). */
const COMMANDS: { path: string; command: Command; body: () => unknown }[] = [
  {
    path: '/reviews',
    command: { kind: 'review', decision: 'approve', comment: false },
    body: () => ({ decision: 'approve' }),
  },
  { path: '/revisions', command: { kind: 'revise' }, body: () => ({ comment: 'Überarbeitet.' }) },
  { path: '/withdrawal', command: { kind: 'withdraw' }, body: () => ({ reason: 'Zurückgezogen.' }) },
  { path: '/invitations', command: { kind: 'invite', lands: ['SN'] }, body: () => ({ lands: ['SN'] }) },
  {
    path: '/invitations/HE',
    command: { kind: 'answer', land: 'HE', decision: 'join' },
    body: () => ({ decision: 'join' }),
  },
  {
    path: '/cabinet-decisions',
    command: { kind: 'cabinet', decision: 'approve' },
    body: () => ({ decision: 'approve', decidedOn: '2026-11-20' }),
  },
  {
    path: '/bundesrat/submission',
    command: { kind: 'submit', drucksache: 'fresh', submittedOn: '2026-11-30', procedure: 'committee' },
    // A number of its own per cell: a reservation is given back when the command is refused.
    body: () => ({
      drucksache: `${(drucksache += 1)}/26`,
      submittedOn: '2026-11-30',
      procedure: 'committee',
    }),
  },
  {
    path: '/bundesrat/referral',
    command: { kind: 'refer', committees: ['In'], leadCommittee: 'In' },
    body: () => ({ committees: ['In'], leadCommittee: 'In' }),
  },
  {
    path: '/bundesrat/decision',
    command: { kind: 'decide', decision: 'adopted', decidedOn: '2026-12-18' },
    body: () => ({ decision: 'adopted', decidedOn: '2026-12-18' }),
  },
  { path: '/bundesrat/accessions', command: { kind: 'accede' }, body: () => ({}) },
  {
    path: '/extensions',
    command: { kind: 'extend', action: 'review', land: 'NW', days: 40 },
    body: () => ({ action: 'review', land: 'NW', until: addDays(berlinToday(), 40), reason: 'Nachfrist.' }),
  },
  {
    path: '/corrections',
    command: { kind: 'correct', field: 'cabinetDecidedOn', value: '2026-11-19' },
    body: () => ({ field: 'cabinetDecidedOn', value: '2026-11-19', reason: 'Berichtigung.' }),
  },
];

/** The oracle: docs/api.md's first applicable status for a command sent with a stale If-Match. */
function expectedForCommand(principal: Principal, command: Command, initiative: ModelInitiative): number {
  if (!canRead(principal, initiative)) return 404;
  if (!mayAct(principal, command, initiative)) return 403;
  const booking = { leadDays: LEAD_DAYS, calendar, drucksachen: new Map<string, string>() };
  if (command.kind === 'correct') {
    const status = correctionStatus(principal, command, initiative, booking.drucksachen);
    return status === 200 ? 412 : status;
  }
  return fits(principal, command, initiative, booking) ? 412 : 409;
}

const isAdmin = (principal: Principal) => principal.roles.includes('admin');
const CREATE: Command = { kind: 'create', channel: 'joint', invite: [] };
/** Whether the list shows an initiative: recorded as 200 when it does, 404 when it leaves it out. */
const LISTED = 'GET /v1/initiatives (listed?)';

function request(
  method: string,
  path: string,
  authorization: string | undefined,
  body?: unknown,
  headers = {},
) {
  return harness.request(method, path, {
    ...(body === undefined ? {} : { body }),
    headers: { ...headers, ...(authorization ? { authorization } : {}) },
  });
}

/** Every cell of the matrix, for the actors (and, with `undefined`, for no token at all: 401 everywhere). */
function matrix(): Cell[] {
  const list: Cell[] = [];
  const everyone: (Actor | undefined)[] = [...actors, undefined];
  for (const actor of everyone) {
    const auth = actor?.authorization;
    const label = actor?.label ?? 'no token';
    const unless = (status: number) => (actor ? status : 401);
    for (const { column, resource, model } of fixtures) {
      const readable = actor ? canRead(actor.principal, model) : false;
      const base = `/v1/initiatives/${resource.id}`;
      list.push(
        {
          endpoint: 'GET /v1/initiatives/{id}',
          who: label,
          column,
          expected: unless(readable ? 200 : 404),
          send: () => request('GET', base, auth),
        },
        {
          endpoint: 'GET /v1/initiatives/{id}/history',
          who: label,
          column,
          expected: unless(readable ? 200 : 404),
          send: () => request('GET', `${base}/history`, auth),
        },
        {
          endpoint: LISTED,
          who: label,
          column,
          expected: unless(readable ? 200 : 404),
          send: async () => {
            const answer = await request(
              'GET',
              `/v1/initiatives?limit=100&channel=${resource.channel}`,
              auth,
            );
            if (answer.status !== 200) return answer;
            const listed = (answer.body as { items: Initiative[] }).items.some((i) => i.id === resource.id);
            return { ...answer, status: listed ? 200 : 404 };
          },
        },
      );
      for (const { path, command, body } of COMMANDS)
        list.push({
          endpoint: `POST /v1/initiatives/{id}${path.replace('/HE', '/{land}')}`,
          who: label,
          column,
          expected: actor ? expectedForCommand(actor.principal, command, model) : 401,
          send: () => request('POST', `${base}${path}`, auth, body(), { 'if-match': STALE }),
        });
    }
    const admin = actor ? isAdmin(actor.principal) : false;
    const proposerOfPartner = actor ? mayAct(actor.principal, CREATE, undefined) : false;
    const global = '—';
    list.push(
      {
        endpoint: 'POST /v1/initiatives',
        who: label,
        column: global,
        expected: unless(proposerOfPartner ? 201 : 403),
        send: () => request('POST', '/v1/initiatives', auth, newInitiative()),
      },
      {
        endpoint: 'GET /v1/tasks',
        who: label,
        column: global,
        expected: unless(200),
        send: () => request('GET', '/v1/tasks', auth),
      },
      {
        endpoint: 'GET /v1/bundesrat/sessions',
        who: label,
        column: global,
        expected: unless(200),
        send: () => request('GET', '/v1/bundesrat/sessions', auth),
      },
      {
        endpoint: 'PUT /v1/bundesrat/sessions',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        // The calendar as it is: an admin's replacement changes nothing.
        send: () => request('PUT', '/v1/bundesrat/sessions', auth, currentCalendar()),
      },
      {
        endpoint: 'GET /v1/webhooks',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        send: () => request('GET', '/v1/webhooks', auth),
      },
      {
        endpoint: 'POST /v1/webhooks',
        who: label,
        column: global,
        expected: unless(admin ? 201 : 403),
        send: () =>
          request('POST', '/v1/webhooks', auth, {
            url: 'http://127.0.0.1:9/x',
            events: ['outcome'],
            secret: 'another-secret-0123456789',
          }),
      },
      {
        endpoint: 'DELETE /v1/webhooks/{id}',
        who: label,
        column: global,
        // An id no subscription has: 404 for an admin, 403 for everyone else.
        expected: unless(admin ? 404 : 403),
        send: () => request('DELETE', '/v1/webhooks/00000000-0000-4000-8000-000000000000', auth),
      },
      {
        endpoint: 'GET /v1/webhooks/{id}/deliveries',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        send: () => request('GET', `/v1/webhooks/${webhookId}/deliveries`, auth),
      },
      {
        endpoint: 'GET /v1/audit/verify',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        send: () => request('GET', '/v1/audit/verify', auth),
      },
      {
        endpoint: 'GET /v1/audit/heads',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        send: () => request('GET', '/v1/audit/heads', auth),
      },
      // The Länderkreis's admin data (docs/laenderkreis.md): read by all, replaced (as it is) by the admin.
      {
        endpoint: 'GET /v1/conferences',
        who: label,
        column: global,
        expected: unless(200),
        send: () => request('GET', '/v1/conferences', auth),
      },
      {
        endpoint: 'PUT /v1/conferences/{key}',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        send: () => request('PUT', '/v1/conferences/dmk', auth, laenderkreisAsServed.dmk),
      },
      {
        endpoint: 'GET /v1/conferences/{key}/sessions',
        who: label,
        column: global,
        expected: unless(200),
        send: () => request('GET', '/v1/conferences/dmk/sessions', auth),
      },
      {
        endpoint: 'PUT /v1/conferences/{key}/sessions',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        send: () => request('PUT', '/v1/conferences/dmk/sessions', auth, laenderkreisAsServed.dmkSessions),
      },
      {
        endpoint: 'GET /v1/koenigstein',
        who: label,
        column: global,
        expected: unless(200),
        send: () => request('GET', '/v1/koenigstein', auth),
      },
      {
        endpoint: 'PUT /v1/koenigstein',
        who: label,
        column: global,
        expected: unless(admin ? 200 : 403),
        send: () => request('PUT', '/v1/koenigstein', auth, laenderkreisAsServed.koenigstein),
      },
    );
  }
  return list;
}

let sessionsAsServed: unknown[] = [];
/** The DMK, its calendar and the Königsteiner Schlüssel as served, as request bodies (replacing them changes nothing). */
const laenderkreisAsServed: { dmk?: unknown; dmkSessions?: unknown; koenigstein?: unknown } = {};
const withoutNulls = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null));
const currentCalendar = () => sessionsAsServed;

/** Runs the cells a few at a time, recording every disagreement instead of stopping at the first. */
async function runAll(list: Cell[], parallel = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let cell = list[next++]; cell; cell = list[next++]) {
      const answer = await cell.send();
      cells.add(cell.endpoint, answer.status);
      if (answer.status !== cell.expected)
        failures.push(
          `${cell.endpoint} as ${cell.who} on ${cell.column}: expected ${cell.expected}, got ${answer.status} ` +
            JSON.stringify(answer.body).slice(0, 300),
        );
      else if (
        answer.status >= 400 &&
        !/problem\+json/.test(answer.headers.get('content-type') ?? '') &&
        cell.endpoint !== LISTED
      )
        failures.push(`${cell.endpoint} as ${cell.who}: ${answer.status} is not a problem document`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

describe('authorisation matrix', () => {
  it('every endpoint × role × Land × visibility answers as docs/domain.md and docs/api.md say; refusals change nothing', async () => {
    const started = Date.now();
    sessionsAsServed = expectStatus(
      await harness.get<unknown[]>('/v1/bundesrat/sessions', who.admin),
      200,
      'calendar',
    );
    const conferences = expectStatus(
      await harness.get<Record<string, unknown>[]>('/v1/conferences', who.admin),
      200,
      'conferences',
    );
    laenderkreisAsServed.dmk = Object.fromEntries(
      Object.entries(conferences.find((c) => c.key === 'dmk') ?? {}).filter(([field]) => field !== 'key'),
    );
    laenderkreisAsServed.dmkSessions = expectStatus(
      await harness.get<Record<string, unknown>[]>('/v1/conferences/dmk/sessions', who.admin),
      200,
      'conference calendar',
    ).map(withoutNulls);
    laenderkreisAsServed.koenigstein = expectStatus(
      await harness.get<unknown>('/v1/koenigstein', who.admin),
      200,
      'koenigstein',
    );
    const before = await stateFingerprint(harness.database.db);
    const list = matrix();
    await runAll(list);
    console.table(
      cells
        .keys()
        .map((endpoint) => ({ endpoint, cells: cells.total(endpoint), answers: cells.describe(endpoint) })),
    );
    console.log(
      `authz matrix: ${list.length} cells (${cells.keys().length} endpoints × ${actors.length + 1} principals ` +
        `[${ROLES.length} roles × ${Object.keys(RELATIONS).length} Land relations, and no token] × ` +
        `${fixtures.length} initiatives where one is involved), ${failures.length} disagreements, ` +
        `answers ${cells.describe()}, ${Math.round((Date.now() - started) / 1000)} s`,
    );
    expect(failures).toEqual([]);
    // Nothing but the allowed creations happened: fixtures, audit trails, pending actions, the calendar and
    // the Drucksache reservations are as they were (subscriptions and references grew by the creations).
    const list100 = await harness.get<{ items: Initiative[] }>('/v1/initiatives?limit=100', who.viewer);
    const created = expectStatus(list100, 200, 'list')
      .items.map((i) => i.id)
      .filter((id) => !fixtures.some((f) => f.resource.id === id));
    expect(created).toHaveLength(actors.filter((a) => mayAct(a.principal, CREATE, undefined)).length);
    const after = await stateFingerprint(harness.database.db, created);
    const unchanged = ({ webhooks: _w, references: _r, ...rest }: Record<string, unknown>) => rest;
    expect(unchanged(after)).toEqual(unchanged(before));
  }, 300_000);
});

describe('precedence (docs/api.md: 401 · 413 · 415 · 400 · 404 · 403 · 409 · 412 · 422)', () => {
  const actor = (label: string) => {
    const found = actors.find((a) => a.label === label);
    if (!found) throw new Error(`no actor ${label}`);
    return found.authorization;
  };
  const privateId = () => fixtures[0]?.resource.id ?? '';
  const closedId = () => fixtures[2]?.resource.id ?? '';
  const huge = 'x'.repeat(300 * 1024);

  it('401 beats 413, 415 and 400', async () => {
    const answer = await request('POST', `/v1/initiatives/${privateId()}/reviews`, undefined, huge, {
      'content-type': 'text/plain',
    });
    expect(answer.status).toBe(401);
  });

  it('413 beats 415 and 400', async () => {
    const answer = await request(
      'POST',
      `/v1/initiatives/${privateId()}/reviews`,
      actor('reviewer/partner'),
      huge,
      {
        'content-type': 'text/plain',
      },
    );
    expect(answer.status).toBe(413);
  });

  it('415 beats 400', async () => {
    const answer = await request(
      'POST',
      `/v1/initiatives/${privateId()}/reviews`,
      actor('reviewer/partner'),
      '{',
      {
        'content-type': 'text/plain',
      },
    );
    expect(answer.status).toBe(415);
  });

  it('400 beats 404: an invalid body, a malformed If-Match or Idempotency-Key on an initiative the caller cannot read', async () => {
    const path = `/v1/initiatives/${privateId()}/reviews`;
    const outsider = actor('reviewer/none');
    expect((await request('POST', path, outsider, { decision: 'maybe' })).status).toBe(400);
    expect(
      (await request('POST', path, outsider, { decision: 'approve' }, { 'if-match': 'v1' })).status,
    ).toBe(400);
    expect(
      (await request('POST', path, outsider, { decision: 'approve' }, { 'idempotency-key': 'ä' })).status,
    ).toBe(400);
    expect((await request('POST', path, outsider, { decision: 'approve' })).status).toBe(404);
  });

  it('400 beats 403: inconsistent input from someone not allowed to act', async () => {
    const viewer = actor('viewer/partner');
    const descending = [
      { number: 2, date: '2027-02-12', source: 'x' },
      { number: 1, date: '2027-01-29', source: 'x' },
    ];
    expect((await request('PUT', '/v1/bundesrat/sessions', viewer, descending)).status).toBe(400);
    const jointWithInstrument = newInitiative({ instrument: 'gesetzesantrag' });
    expect((await request('POST', '/v1/initiatives', viewer, jointWithInstrument)).status).toBe(400);
    const referral = { committees: ['In'], leadCommittee: 'R' };
    expect(
      (await request('POST', `/v1/initiatives/${privateId()}/bundesrat/referral`, viewer, referral)).status,
    ).toBe(400);
  });

  it('404 beats 403, 403 beats 409, 409 beats 412', async () => {
    const review = { decision: 'approve' };
    const stale = { 'if-match': STALE };
    expect(
      (await request('POST', `/v1/initiatives/${privateId()}/reviews`, actor('cabinet/none'), review)).status,
    ).toBe(404);
    expect(
      (
        await request(
          'POST',
          `/v1/initiatives/${closedId()}/reviews`,
          actor('cabinet/partner'),
          review,
          stale,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await request(
          'POST',
          `/v1/initiatives/${closedId()}/reviews`,
          actor('reviewer/partner'),
          review,
          stale,
        )
      ).status,
    ).toBe(409);
  });

  it('412 beats 422: an Idempotency-Key reused with another body and a stale If-Match', async () => {
    const created = await flow.create();
    const path = `/v1/initiatives/${created.id}/reviews`;
    const key = { 'idempotency-key': `matrix-${created.id}` };
    expect(
      (await request('POST', path, `Bearer ${who.reviewerNW}`, { decision: 'approve' }, key)).status,
    ).toBe(200);
    const other = { decision: 'request_changes', comment: 'Doch nicht.' };
    expect(
      (await request('POST', path, `Bearer ${who.reviewerNW}`, other, { ...key, 'if-match': '"1"' })).status,
    ).toBe(412);
    expect(
      (await request('POST', path, `Bearer ${who.reviewerNW}`, other, { ...key, 'if-match': '"2"' })).status,
    ).toBe(422);
    expect((await flow.get(created.id)).version).toBe(2);
  });
});

describe('property level (OWASP API3: mass assignment, excessive data exposure)', () => {
  it('fields the server owns cannot be assigned: 400, and nothing is created or changed', async () => {
    const proposer = `Bearer ${who.proposerBY}`;
    const before = await stateFingerprint(harness.database.db);
    for (const owned of [
      { leadLand: 'NW' },
      { proposer: { sub: 'someone-else', name: 'X', land: 'NW' } },
      { phase: 'adopted' },
      { version: 99 },
      { id: 'DD-2026-9999' },
      { outcome: { result: 'adopted' } },
    ]) {
      const answer = await request('POST', '/v1/initiatives', proposer, newInitiative(owned));
      expect(answer.status, JSON.stringify(owned)).toBe(400);
    }
    const privateId = fixtures[0]?.resource.id ?? '';
    // A BY reviewer naming NW's review, or setting the round, is refused likewise.
    for (const owned of [{ land: 'NW' }, { round: 3 }, { by: { sub: 'r-nw' } }]) {
      const answer = await request(
        'POST',
        `/v1/initiatives/${privateId}/reviews`,
        `Bearer ${who.reviewerBY}`,
        {
          decision: 'approve',
          ...owned,
        },
      );
      expect(answer.status, JSON.stringify(owned)).toBe(400);
    }
    expect(await stateFingerprint(harness.database.db)).toEqual(before);
  });

  it('answers carry the documented fields only; a webhook secret never comes back', async () => {
    const doc = expectStatus(
      await harness.get<{ components: { schemas: Record<string, { properties: Record<string, unknown> }> } }>(
        '/openapi.json',
      ),
      200,
      'openapi',
    );
    const documented = Object.keys(doc.components.schemas.Initiative?.properties ?? {});
    for (const { resource } of fixtures) {
      const read = expectStatus(
        await harness.get<Record<string, unknown>>(`/v1/initiatives/${resource.id}`, who.admin),
        200,
        'read',
      );
      expect(Object.keys(read).filter((key) => !documented.includes(key))).toEqual([]);
    }
    const secret = 'never-returned-0123456789';
    const created = await request('POST', '/v1/webhooks', `Bearer ${who.admin}`, {
      url: 'http://127.0.0.1:9/secret',
      events: ['created'],
      secret,
    });
    expect(created.status).toBe(201);
    const listed = await request('GET', '/v1/webhooks', `Bearer ${who.admin}`);
    for (const text of [JSON.stringify(created.body), JSON.stringify(listed.body)])
      expect(text).not.toContain(secret);
  });
});
