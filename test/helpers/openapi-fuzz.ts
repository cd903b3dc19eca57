/**
 * Requests generated from the live OpenAPI document: every operation's path, query and header
 * parameters and its request body are drawn from their schemas, then mutated (types, sizes, unicode,
 * missing and extra fields, huge numbers, broken JSON, wrong media types, tampered tokens). Nothing here
 * knows the API's routes: it walks `paths` and `components`.
 */
import fc from 'fast-check';
import type { Endpoint, OpenApiDocument, Parameter } from './openapi-document.js';
import { NASTY_STRINGS, valueFor } from './openapi-values.js';

export interface FuzzRequest {
  method: string;
  template: string;
  pathParams: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  /** A JSON value to send, or the raw text of a body that is not (valid) JSON. */
  body: { json: unknown } | { raw: string } | undefined;
  /** `null`: send no Content-Type at all. */
  contentType: string | null;
  principal: string;
  mutations: string[];
}

/** Values that exist in the service (ids of fixtures), offered beside schema-drawn ones. */
export type Samples = (endpoint: Endpoint, parameter: string) => readonly string[];

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function parameterValue(endpoint: Endpoint, parameter: Parameter, doc: OpenApiDocument, samples: Samples) {
  const drawn = valueFor(parameter.schema, doc).map(asText);
  const known = samples(endpoint, parameter.name);
  return known.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, drawn) : drawn;
}

/** Header values must survive the wire: visible Latin-1 only. */
const headerSafe = (value: string) => /^[\x20-\x7e\xa0-\xff]*$/.test(value) && value.trim() === value;

function parametersOf(endpoint: Endpoint, where: Parameter['in']): Parameter[] {
  return (endpoint.operation.parameters ?? []).filter((p) => p.in === where);
}

/** Optional parameters are left out about half the time. */
function namedValues(
  endpoint: Endpoint,
  where: Parameter['in'],
  doc: OpenApiDocument,
  samples: Samples,
): fc.Arbitrary<[string, string][]> {
  const entries = parametersOf(endpoint, where).map((parameter) => {
    let value = parameterValue(endpoint, parameter, doc, samples);
    if (where === 'header') value = value.filter(headerSafe);
    const pair = value.map((v): [string, string] => [parameter.name, v]);
    return parameter.required
      ? pair.map((p) => [p])
      : fc.option(pair, { nil: undefined }).map((p) => (p ? [p] : []));
  });
  return fc.tuple(...entries).map((lists) => lists.flat());
}

export function requestFor(
  endpoint: Endpoint,
  doc: OpenApiDocument,
  principals: fc.Arbitrary<string>,
  samples: Samples,
): fc.Arbitrary<FuzzRequest> {
  const json = endpoint.operation.requestBody?.content['application/json'];
  const examples = Object.values(json?.examples ?? {}).map((example) => example.value);
  const drawnBody = json ? valueFor(json.schema, doc) : undefined;
  const bodyValue =
    drawnBody && examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), drawnBody) : drawnBody;
  const base = fc.record({
    pathParams: namedValues(endpoint, 'path', doc, samples).map((pairs) => Object.fromEntries(pairs)),
    query: namedValues(endpoint, 'query', doc, samples),
    headers: namedValues(endpoint, 'header', doc, samples).map((pairs) => Object.fromEntries(pairs)),
    body: bodyValue ? bodyValue.map((value) => ({ json: value })) : fc.constant(undefined),
    principal: principals,
  });
  // A third of the requests stay as the schema drew them, to get past validation into the handlers.
  const mutations = fc.oneof(
    fc.constant([]),
    fc.array(mutationFor(endpoint), { minLength: 1, maxLength: 3 }),
    fc.array(mutationFor(endpoint), { minLength: 1, maxLength: 3 }),
  );
  return fc.tuple(base, mutations).map(([request, chosen]) => {
    const unmutated: FuzzRequest = {
      ...request,
      method: endpoint.method,
      template: endpoint.template,
      contentType: request.body === undefined ? null : 'application/json',
      mutations: [],
    };
    return chosen.reduce((r, mutation) => mutation(r), unmutated);
  });
}

// ---- mutations ----

type Mutation = (request: FuzzRequest) => FuzzRequest;
type Path = (string | number)[];

/** Every place in a JSON value, parents before children (the root is `[]`). */
function placesIn(value: unknown, at: Path = []): Path[] {
  const inner =
    Array.isArray(value) || (value !== null && typeof value === 'object')
      ? Object.entries(value).flatMap(([k, v]) => placesIn(v, [...at, Array.isArray(value) ? Number(k) : k]))
      : [];
  return [at, ...inner];
}

function replaceAt(value: unknown, path: Path, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return (value as unknown[]).map((v, i) => (i === head ? replaceAt(v, rest, replace) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [head as string]: replaceAt(record[head as string], rest, replace) };
}

/** Applies `replace` at the `pick`-th place of the JSON body (if there is one). */
function atPlace(
  kind: string,
  pick: number,
  replace: (old: unknown) => unknown,
  where = (_: unknown) => true,
) {
  return (request: FuzzRequest): FuzzRequest => {
    if (!request.body || !('json' in request.body)) return request;
    const json = request.body.json;
    const places = placesIn(json).filter((path) => where(path.reduce<unknown>(dig, json)));
    const path = places[pick % Math.max(places.length, 1)];
    if (!path) return request;
    return {
      ...request,
      body: { json: replaceAt(json, path, replace) },
      mutations: [...request.mutations, kind],
    };
  };
}
const dig = (value: unknown, key: string | number) => (value as Record<string | number, unknown>)[key];
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  0.5,
  1e21,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
];

/** Bodies that are not what JSON.stringify makes: broken, exotic or enormous text. */
const RAW_BODIES = [
  '',
  '{',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}garbage',
  '\ufeff{}',
  'NaN',
  '[1e400]',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":1,"a":2}',
  '"\\ud800"',
  '{"x":"\\u0000"}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":' + '"x"'.padEnd(300_000, ' ') + '}',
];

const CONTENT_TYPES = [
  null,
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/vnd.api+json',
  'application/json, text/plain',
  ';;;',
];

/** Leaves put into opaque tokens: texts JavaScript's Date.parse accepts but PostgreSQL does not, and worse. */
const TAMPERED_LEAVES: unknown[] = [
  ...NASTY_STRINGS,
  '1',
  '99999',
  '2020-02-30T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  'Tue, 01 Jan 0000 00:00:00 GMT',
  0,
  null,
  [],
  {},
];

/** The JSON inside a base64url token (a list cursor, say), if the text is one. */
function decodeToken(text: string): unknown {
  if (!/^[\w-]{4,}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces one leaf inside an opaque token of the query or path with `leaf`, and re-encodes it. */
function tamperToken(request: FuzzRequest, pick: number, place: number, leaf: unknown): FuzzRequest {
  const tokens = [
    ...request.query.map((pair, index) => ({ where: 'query' as const, index, text: pair[1] })),
    ...Object.entries(request.pathParams).map(([name, text]) => ({ where: 'path' as const, name, text })),
  ].filter((candidate) => decodeToken(candidate.text) !== undefined);
  const chosen = tokens[pick % Math.max(tokens.length, 1)];
  if (!chosen) return request;
  const decoded = decodeToken(chosen.text);
  const places = placesIn(decoded).filter((path) => path.length > 0);
  const path = places[place % Math.max(places.length, 1)] ?? [];
  const text = Buffer.from(JSON.stringify(replaceAt(decoded, path, () => leaf))).toString('base64url');
  return chosen.where === 'query'
    ? { ...request, query: request.query.map((pair, i) => (i === chosen.index ? [pair[0], text] : pair)) }
    : { ...request, pathParams: { ...request.pathParams, [chosen.name]: text } };
}

const PRIMITIVES: unknown[] = [null, true, 0, -1, '', 'x', [], {}, [null], { '': '' }];

const named =
  (kind: string, mutate: (r: FuzzRequest) => FuzzRequest): Mutation =>
  (request) => {
    const next = mutate(request);
    return next === request ? request : { ...next, mutations: [...next.mutations, kind] };
  };

function mutationFor(endpoint: Endpoint): fc.Arbitrary<Mutation> {
  const pick = fc.nat();
  const takesBody = endpoint.method !== 'GET';
  const bodyMutations: fc.Arbitrary<Mutation>[] = [
    pick.map((p) => atPlace('drop-field', p, (o) => dropOneKey(o as Record<string, unknown>, p), isObject)),
    fc
      .tuple(
        pick,
        fc.constantFrom('__proto__', 'constructor', 'admin', 'phase', 'version', 'id', ''),
        fc.jsonValue({ maxDepth: 1 }),
      )
      .map(([p, key, v]) => atPlace('extra-field', p, (o) => ({ ...(o as object), [key]: v }), isObject)),
    fc.tuple(pick, fc.constantFrom(...PRIMITIVES)).map(([p, v]) => atPlace('wrong-type', p, () => v)),
    fc
      .tuple(pick, fc.constantFrom(...NASTY_STRINGS))
      .map(([p, s]) => atPlace('unicode', p, (old) => (typeof old === 'string' ? old + s : s))),
    fc.tuple(pick, fc.constantFrom(...EDGE_NUMBERS)).map(([p, n]) => atPlace('huge-number', p, () => n)),
    fc
      .tuple(pick, fc.constantFrom(301, 2_001, 20_001, 70_000, 300_000))
      .map(([p, n]) => atPlace('oversize', p, () => 'x'.repeat(n))),
    fc.constantFrom(...RAW_BODIES).map((raw) => named('raw-body', (r) => ({ ...r, body: { raw } }))),
    fc
      .constantFrom(...CONTENT_TYPES)
      .map((type) =>
        named('content-type', (r) => ({ ...r, contentType: type, body: r.body ?? { raw: '{}' } })),
      ),
  ];
  const always: fc.Arbitrary<Mutation>[] = [
    fc
      .tuple(pick, pick, fc.constantFrom(...TAMPERED_LEAVES))
      .map(([p, q, leaf]) => named('token-tamper', (r) => tamperToken(r, p, q, leaf))),
    fc
      .tuple(
        fc.constantFrom('extra', 'limit', 'phase', '__proto__'),
        fc.constantFrom(...NASTY_STRINGS, '1e308', '-1', 'true'),
      )
      .map(([name, value]) => named('query-extra', (r) => ({ ...r, query: [...r.query, [name, value]] }))),
    pick.map((p) =>
      named('query-repeat', (r) => {
        const pair = r.query[p % Math.max(r.query.length, 1)];
        return pair ? { ...r, query: [...r.query, pair] } : r;
      }),
    ),
    fc.tuple(pick, fc.constantFrom(...NASTY_STRINGS, 'x'.repeat(5000))).map(([p, value]) =>
      named('query-nasty', (r) => {
        const index = p % Math.max(r.query.length, 1);
        return r.query[index] ? { ...r, query: r.query.map((q, i) => (i === index ? [q[0], value] : q)) } : r;
      }),
    ),
    fc
      .tuple(pick, fc.constantFrom(...NASTY_STRINGS, 'DD-2026-00001', 'dd-2026-0001', 'x'.repeat(3000)))
      .map(([p, value]) =>
        named('path-nasty', (r) => {
          const names = Object.keys(r.pathParams);
          const name = names[p % Math.max(names.length, 1)];
          return name ? { ...r, pathParams: { ...r.pathParams, [name]: value } } : r;
        }),
      ),
    fc
      .tuple(
        fc.constantFrom('idempotency-key', 'if-match', 'if-none-match'),
        fc.constantFrom(
          '',
          '"1"',
          'W/"1"',
          '*',
          '"-1"',
          '"99999999999999999999"',
          'x'.repeat(300),
          '"1", "2"',
          'ÿÿÿ',
        ),
      )
      .map(([name, value]) => named('header', (r) => ({ ...r, headers: { ...r.headers, [name]: value } }))),
  ];
  return fc.oneof(...always, ...(takesBody ? bodyMutations : []));
}

function dropOneKey(record: Record<string, unknown>, pick: number): Record<string, unknown> {
  const keys = Object.keys(record);
  const drop = keys[pick % Math.max(keys.length, 1)];
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== drop));
}

// ---- sending and describing ----

/**
 * Percent-encodes like encodeURIComponent, but sends a lone surrogate as its (invalid) three UTF-8-style
 * bytes instead of throwing: the server has to cope with whatever arrives.
 */
function encodeComponent(text: string): string {
  return Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(char);
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join('');
  }).join('');
}

export function urlOf(request: FuzzRequest): string {
  const path = request.template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeComponent(request.pathParams[name] ?? ''),
  );
  const query = request.query.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
  return query ? `${path}?${query}` : path;
}

export function bodyText(request: FuzzRequest): string | undefined {
  if (!request.body) return undefined;
  return 'raw' in request.body ? request.body.raw : JSON.stringify(request.body.json);
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `[${[...new Set(value.map(shapeOf))].sort().join('|')}]`;
  if (value === null) return 'null';
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}:${shapeOf(v)}`)
      .sort()
      .join(',')}}`;
  if (typeof value === 'string') {
    const size = value.length === 0 ? 'empty' : value.length > 1000 ? 'huge' : 'text';
    return `${size}${/^[\x20-\x7e]*$/.test(value) ? '' : '~u'}`;
  }
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'int' : 'num';
  return typeof value;
}

/** What distinguishes one request from another for coverage counting: structure, not values. */
export function shapeOfRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? '-'
      : 'raw' in request.body
        ? `raw:${request.body.raw.length}`
        : shapeOf(request.body.json);
  return [
    request.method,
    request.template,
    request.principal,
    Object.entries(request.pathParams)
      .map(([k, v]) => `${k}=${shapeOf(v)}`)
      .join('&'),
    request.query.map(([k, v]) => `${k}=${shapeOf(v)}`).join('&'),
    Object.keys(request.headers).sort().join(','),
    request.contentType ?? 'no-type',
    body,
  ].join(' ');
}
