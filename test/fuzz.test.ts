/**
 * Schema-driven fuzzing: for every operation of the live /openapi.json, fast-check draws requests from
 * the operation's schemas (with the ids of real fixtures mixed in), mutates them and sends them as one of
 * many principals, forged tokens included. Every answer must be below 500, declared for the operation
 * with the declared media type and body schema, free of internals; and a refused request must leave the
 * database exactly as it was. Seeds are fixed and printed: FUZZ_SEED and FUZZ_RUNS override them.
 */
import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../workflows/domain.js';
import { expectStatus, Flow, signJwt, token, useHarness } from './kit/index.js';
import { stateFingerprint } from './helpers/fingerprint.js';
import { OpenApiContract, type Answer } from './helpers/openapi-contract.js';
import { endpointsOf, type Endpoint, type OpenApiDocument } from './helpers/openapi-document.js';
import { bodyText, requestFor, shapeOfRequest, urlOf, type FuzzRequest } from './helpers/openapi-fuzz.js';
import { StatusTally } from './helpers/tally.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
const RUNS_PER_ENDPOINT = Number(process.env.FUZZ_RUNS ?? 160);

const harness = useHarness();
const { who } = harness;
let doc: OpenApiDocument;
let contract: OpenApiContract;
/** Authorization header values by principal name; `undefined`: no header. */
let authorizations: Record<string, string | undefined>;
/** Real principals three times as often as forged ones, so that most requests get past authentication. */
let principalNames: fc.Arbitrary<string>;
let initiativeIds: string[];
let webhookIds: string[];
/** Cursors the list handed out: opaque tokens worth tampering with. */
let cursors: string[];
/** Principals with a real token, for the second half of each endpoint's runs. */
let realPrincipals: string[];
/** Initiatives the fuzzer created: random periods may be short enough for their timers to fire. */
const volatile: string[] = [];
/** Acknowledges every webhook delivery, so that notifications of fuzzed changes do not retry. */
let receiver: Server;

/** Tokens that must all answer 401: forged, expired, unsigned, of unknown roles or Länder, not bearer. */
async function forgedAuthorizations(): Promise<Record<string, string>> {
  const claims = { name: 'Mallory', land: 'BY', roles: ['admin'] };
  const unsigned = (payload: object) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify(payload),
    ).toString('base64url')}.`;
  const now = Math.floor(Date.now() / 1000);
  return {
    'other-secret': `Bearer ${await signJwt(claims, 'not-the-secret-of-this-service', { subject: 'mallory', expiresIn: '1h' })}`,
    expired: `Bearer ${await token({ sub: 'late', land: 'BY', roles: ['admin'] }, now - 60)}`,
    'alg-none': `Bearer ${unsigned({ ...claims, sub: 'mallory', exp: now + 3600 })}`,
    'unknown-role': `Bearer ${await token({ sub: 'root', land: 'BY', roles: ['superuser' as Role] })}`,
    'unknown-land': `Bearer ${await token({ sub: 'eu', land: 'EU' as never, roles: ['viewer'] })}`,
    'not-bearer': 'Basic YWRtaW46YWRtaW4=',
    garbage: 'Bearer not.a.jwt',
    'bearer-only': 'Bearer',
  };
}

beforeAll(async () => {
  const flow = new Flow(harness, who);
  const [review, invitingHE, cabinet, bundesrat, withdrawn] = await Promise.all([
    flow.create(),
    flow.motion({ invite: ['HE'] }),
    flow.toCabinet(),
    flow.toBundesrat(),
    flow.create({}, who.proposerNW),
  ]);
  await flow.command(withdrawn.id, '/withdrawal', who.proposerNW, { reason: 'Fixture.' });
  initiativeIds = [review, invitingHE, cabinet, bundesrat, withdrawn].map((i) => i.id);
  receiver = createServer((_request, response) => response.writeHead(204).end());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as { port: number };
  const webhook = expectStatus(
    await harness.post<{ id: string }>('/v1/webhooks', who.admin, {
      url: `http://127.0.0.1:${port}/fuzz`,
      events: ['created'],
      secret: 'fuzz-secret-0123456789',
    }),
    201,
    'create webhook',
  );
  webhookIds = [webhook.id];
  const bearer = (value: string) => `Bearer ${value}`;
  const forged = { none: undefined, ...(await forgedAuthorizations()) };
  const real = {
    'proposer-BY': bearer(who.proposerBY),
    'proposer-NW': bearer(who.proposerNW),
    'reviewer-BY': bearer(who.reviewerBY),
    'reviewer-NW': bearer(who.reviewerNW),
    'reviewer-HE': bearer(who.reviewerHE),
    'cabinet-SN': bearer(who.cabinetSN),
    'liaison-BY': bearer(who.liaisonBY),
    viewer: bearer(who.viewer),
    admin: bearer(who.admin),
    // Validly signed, by an issuer that let a user put NUL and a lone surrogate into their names.
    'odd-claims': bearer(
      await token({ sub: 'eve\u0000', name: 'Eve \ud800', land: 'NW', roles: ['proposer', 'reviewer'] }),
    ),
  };
  authorizations = { ...forged, ...real };
  realPrincipals = Object.keys(real);
  principalNames = fc.oneof(
    { arbitrary: fc.constantFrom(...Object.keys(forged)), weight: 1 },
    { arbitrary: fc.constantFrom(...Object.keys(real)), weight: 3 },
  );
  const page = await harness.get<{ nextCursor: string | null }>('/v1/initiatives?limit=2', who.viewer);
  cursors = [expectStatus(page, 200, 'list').nextCursor ?? ''].filter(Boolean);
  doc = expectStatus(await harness.get<OpenApiDocument>('/openapi.json'), 200, 'GET /openapi.json');
  contract = new OpenApiContract(doc);
}, 180_000);
afterAll(async () => {
  receiver?.close();
});

/** Waits until the state has not changed for half a second (at most ten seconds). */
async function quiet(): Promise<void> {
  let last = await stateFingerprint(harness.database.db, volatile);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await stateFingerprint(harness.database.db, volatile);
    if (JSON.stringify(now) === JSON.stringify(last)) return;
    last = now;
  }
}

async function send(request: FuzzRequest): Promise<Answer & { headers: Headers }> {
  const headers: Record<string, string> = { ...request.headers };
  const authorization = authorizations[request.principal];
  if (authorization !== undefined) headers.authorization = authorization;
  if (request.contentType !== null) headers['content-type'] = request.contentType;
  const abort = new AbortController();
  const response = await fetch(`${harness.baseUrl}${urlOf(request)}`, {
    method: request.method,
    headers,
    body: bodyText(request),
    signal: abort.signal,
  });
  const contentType = response.headers.get('content-type');
  // A stream (Server-Sent Events) never ends: its status and media type are the answer.
  if (contentType?.startsWith('text/event-stream')) {
    abort.abort();
    return { status: response.status, contentType, text: '', headers: response.headers };
  }
  return { status: response.status, contentType, text: await response.text(), headers: response.headers };
}

const describeExchange = (request: FuzzRequest, answer: Answer) =>
  `${request.method} ${urlOf(request).slice(0, 300)} as ${request.principal} ` +
  `[${request.mutations.join(', ') || 'no mutation'}] body ${String(bodyText(request)).slice(0, 300)} ` +
  `→ ${answer.status} ${answer.text.slice(0, 500)}`;

const answers = new StatusTally();
/** Distinct request shapes (structure, not values) per endpoint. */
const shapes = new Map<string, Set<string>>();
const seconds = new Map<string, number>();

/** Answers that prove a principal got past authentication and authorisation. */
const admitted = (status: number) => (status >= 200 && status < 300) || [304, 409, 412, 422].includes(status);

/**
 * Two rounds per endpoint: principals of every kind, then only those the first round saw admitted (or
 * never saw refused), so that mutated requests also reach the handlers and what lies behind them.
 */
async function fuzz(endpoint: Endpoint, index: number) {
  const key = `${endpoint.method} ${endpoint.template}`;
  const seen = new Set<string>();
  shapes.set(key, seen);
  const started = Date.now();
  const passed = new Set<string>();
  const refused = new Set<string>();
  const samples = (_: Endpoint, parameter: string) =>
    parameter === 'id'
      ? endpoint.template.startsWith('/v1/webhooks')
        ? webhookIds
        : initiativeIds
      : parameter === 'cursor'
        ? cursors
        : [];
  const round = async (principals: fc.Arbitrary<string>, seed: number, numRuns: number) =>
    fc.assert(
      fc.asyncProperty(requestFor(endpoint, doc, principals, samples), async (request) => {
        const before = await stateFingerprint(harness.database.db, volatile);
        const answer = await send(request);
        answers.add(key, answer.status);
        seen.add(shapeOfRequest(request));
        if (admitted(answer.status)) passed.add(request.principal);
        if (answer.status === 401 || answer.status === 403 || answer.status === 404)
          refused.add(request.principal);
        const what = describeExchange(request, answer);
        expect(answer.status, what).toBeLessThan(500);
        expect(contract.violations(endpoint, answer), what).toEqual([]);
        if (answer.status === 401) expect(answer.headers.get('www-authenticate'), what).toBe('Bearer');
        if (answer.status >= 400)
          expect(await stateFingerprint(harness.database.db, volatile), what).toEqual(before);
        if (answer.status === 201 && request.template === '/v1/initiatives')
          volatile.push((JSON.parse(answer.text) as { id: string }).id);
        // An accepted command may start timers that fire at once (a submission booked on a session that
        // has passed reminds the liaison straight away): let them land before the next request's
        // "changes nothing" is measured.
        if (answer.status < 300 && request.method === 'POST') await quiet();
      }),
      { seed, numRuns, endOnFailure: true },
    );
  const half = Math.ceil(RUNS_PER_ENDPOINT / 2);
  await round(principalNames, SEED + index, half);
  // Without a proof of admission, those never refused (400s come before 403 on some routes) stand in.
  const unrefused = realPrincipals.filter((name) => !refused.has(name));
  const insiders = passed.size > 0 ? [...passed] : unrefused.length > 0 ? unrefused : realPrincipals;
  await round(fc.constantFrom(...insiders), SEED + 1000 + index, RUNS_PER_ENDPOINT - half);
  seconds.set(key, Math.round((Date.now() - started) / 100) / 10);
}

describe('schema-driven fuzzing of every documented operation', () => {
  it('no 5xx, only declared statuses and bodies, and a refused request changes nothing', async () => {
    const endpoints = endpointsOf(doc);
    expect(endpoints.length).toBeGreaterThanOrEqual(20);
    for (const [index, endpoint] of endpoints.entries()) await fuzz(endpoint, index);
    console.table(
      answers.keys().map((key) => ({
        endpoint: key,
        runs: answers.total(key),
        shapes: shapes.get(key)?.size,
        statuses: answers.describe(key),
        seconds: seconds.get(key),
      })),
    );
    const distinct = new Set([...shapes.values()].flatMap((set) => [...set])).size;
    console.log(
      `fuzz: seeds ${SEED} + i and ${SEED} + 1000 + i for endpoint i, numRuns ${RUNS_PER_ENDPOINT} per ` +
        `endpoint, ${endpoints.length} endpoints, ${answers.total()} requests, ${distinct} distinct ` +
        `request shapes, statuses ${answers.describe()}`,
    );
    // Requests got past validation and authorisation into the handlers, and commands were accepted.
    for (const status of [200, 201, 409, 412]) expect(answers.count(status), `${status}`).toBeGreaterThan(0);
  }, 600_000);
});
