/**
 * Malformed requests: 400 with a field list (`errors`), 415 for a body that is not JSON, 412 for a stale
 * If-Match; none of them changes anything (no initiative created, version and history unchanged).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { historyOf, newInitiative, token, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

async function create(): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative());
  expect(response.status).toBe(201);
  return response.body;
}

const allIds = async () =>
  (await harness.get<{ items: Initiative[] }>('/v1/initiatives?limit=100', who.viewer)).body.items.map(
    (i) => i.id,
  );

function expectProblem(
  response: { status: number; headers: Headers; body: unknown },
  status: number,
  what: string,
) {
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(status);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
  const problem = response.body as Problem;
  expect(problem.status, what).toBe(status);
  expect(typeof problem.type, what).toBe('string');
  expect(typeof problem.title, what).toBe('string');
  return problem;
}

/** The `errors` list names `path` (exactly, or as a prefix when `prefix` is set). */
function expectFieldError(problem: Problem, path: string, what: string) {
  expect(problem.errors, what).toEqual(expect.any(Array));
  const paths = (problem.errors ?? []).map((e) => e.path);
  expect(paths, what).toContain(path);
  for (const error of problem.errors ?? []) expect(error.message, what).toEqual(expect.any(String));
}

describe('400 on create', () => {
  const base = newInitiative();
  const cases: [string, unknown, string[]][] = [
    ['missing fields', {}, ['body/title', 'body/summary', 'body/topic', 'body/channel']],
    ['missing title only', { ...base, title: undefined }, ['body/title']],
    ['an empty title', { ...base, title: '' }, ['body/title']],
    ['a blank title', { ...base, title: '   ' }, ['body/title']],
    ['an unknown topic', { ...base, topic: 'space_travel' }, ['body/topic']],
    ['an unknown channel', { ...base, channel: 'bundestag' }, ['body/channel']],
    ['an extra field', { ...base, colour: 'blue' }, ['body/colour']],
    ['a title of the wrong type', { ...base, title: { de: 'Titel' } }, ['body/title']],
    // Bodies are not coerced: a number is not a title, a string is not a list.
    ['a numeric title', { ...base, title: 42 }, ['body/title']],
    ['invite as a string', { ...base, invite: 'HE' }, ['body/invite']],
    [
      'a period too long to compute',
      { ...base, periods: { review: 'P999999999999D' } },
      ['body/periods/review'],
    ],
    ['a period in months', { ...base, periods: { review: 'P1M' } }, ['body/periods/review']],
    [
      'a period without a number',
      { ...base, periods: { reminderBefore: 'PT' } },
      ['body/periods/reminderBefore'],
    ],
    ['a period without P', { ...base, periods: { revision: '14D' } }, ['body/periods/revision']],
    ['a zero-length period (days)', { ...base, periods: { review: 'P0D' } }, ['body/periods/review']],
    [
      'a zero-length period (seconds)',
      { ...base, periods: { invitation: 'PT0S' } },
      ['body/periods/invitation'],
    ],
    ['an unknown period', { ...base, periods: { cabinet: 'P1D' } }, ['body/periods/cabinet']],
    ['a partner in invite', { ...base, invite: ['HE', 'NW'] }, ['body/invite']],
    ['an unknown Land in invite', { ...base, invite: ['XX'] }, ['body/invite/0']],
    ['a Land invited twice', { ...base, invite: ['HE', 'HE'] }, ['body/invite']],
    ['bundesrat without instrument', { ...base, channel: 'bundesrat' }, ['body/instrument']],
    ['joint with an instrument', { ...base, instrument: 'gesetzesantrag' }, ['body/instrument']],
    ['an unknown instrument', { ...base, channel: 'bundesrat', instrument: 'petition' }, ['body/instrument']],
  ];

  it.each(cases)('%s → 400 naming the field', async (what, body, paths) => {
    const before = await allIds();
    const problem = expectProblem(await harness.post('/v1/initiatives', who.proposerBY, body), 400, what);
    for (const path of paths) expectFieldError(problem, path, what);
    expect(await allIds()).toEqual(before);
  });

  it('invalid JSON → 400', async () => {
    const response = await harness.request('POST', '/v1/initiatives', {
      token: who.proposerBY,
      body: '{"title": "Halb',
      headers: { 'content-type': 'application/json' },
    });
    const before = await allIds();
    expectProblem(response, 400, 'invalid JSON');
    expect(await allIds()).toEqual(before);
  });

  it('a body that is not JSON → 415', async () => {
    const before = await allIds();
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await harness.request('POST', '/v1/initiatives', {
        token: who.proposerBY,
        body: JSON.stringify(newInitiative()),
        headers: { 'content-type': contentType },
      });
      expectProblem(response, 415, contentType);
    }
    expect(await allIds()).toEqual(before);
  });
});

describe('precedence on create', () => {
  it('400 wins over 403: a HE proposer sending an invalid body', async () => {
    const proposerHE = await token({ sub: 'p-he', land: 'HE', roles: ['proposer'] });
    const problem = expectProblem(
      await harness.post('/v1/initiatives', proposerHE, newInitiative({ channel: 'bundesrat' })),
      400,
      'HE proposer, bundesrat without instrument',
    );
    expectFieldError(problem, 'body/instrument', 'HE proposer');
    expectProblem(await harness.post('/v1/initiatives', proposerHE, newInitiative()), 403, 'HE proposer');
  });
});

describe('400/415 on commands, without a state change', () => {
  let initiative: Initiative;
  beforeAll(async () => {
    initiative = await create();
  });

  const cases: [string, string, unknown, string][] = [
    ['reject without comment', '/reviews', { decision: 'reject' }, 'body/comment'],
    ['request_changes without comment', '/reviews', { decision: 'request_changes' }, 'body/comment'],
    ['reject with an empty comment', '/reviews', { decision: 'reject', comment: '' }, 'body/comment'],
    ['an unknown decision', '/reviews', { decision: 'abstain' }, 'body/decision'],
    ['a review without decision', '/reviews', { comment: 'Gut.' }, 'body/decision'],
    ['an extra field on a review', '/reviews', { decision: 'approve', land: 'NW' }, 'body/land'],
    ['a revision without comment', '/revisions', { title: 'Neu' }, 'body/comment'],
    ['a revision with an empty title', '/revisions', { title: '', comment: 'x' }, 'body/title'],
    ['an extra field on a revision', '/revisions', { comment: 'x', topic: 'ehealth' }, 'body/topic'],
    ['a withdrawal without reason', '/withdrawal', {}, 'body/reason'],
  ];

  it.each(cases)('%s → 400 naming the field', async (what, path, body, field) => {
    const tokenValue = path === '/reviews' ? who.reviewerNW : who.proposerBY;
    const response = await harness.post(`/v1/initiatives/${initiative.id}${path}`, tokenValue, body);
    expectFieldError(expectProblem(response, 400, what), field, what);
    const after = await harness.get<Initiative>(`/v1/initiatives/${initiative.id}`, who.viewer);
    expect(after.body.version).toBe(initiative.version);
    expect(await historyOf(harness, initiative.id, who.viewer)).toHaveLength(1);
  });

  it('invalid JSON, a non-JSON body, a malformed If-Match and a malformed id', async () => {
    const path = `/v1/initiatives/${initiative.id}/reviews`;
    expectProblem(
      await harness.request('POST', path, { token: who.reviewerNW, body: '{"decision":' }),
      400,
      'invalid JSON',
    );
    expectProblem(
      await harness.request('POST', path, {
        token: who.reviewerNW,
        body: 'decision=approve',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'form body',
    );
    const badIfMatch = expectProblem(
      await harness.post(path, who.reviewerNW, { decision: 'approve' }, { 'if-match': 'version-1' }),
      400,
      'malformed If-Match',
    );
    expectFieldError(badIfMatch, 'headers/if-match', 'malformed If-Match');
    const badId = expectProblem(
      await harness.post('/v1/initiatives/42/reviews', who.reviewerNW, { decision: 'approve' }),
      400,
      'malformed id',
    );
    expectFieldError(badId, 'params/id', 'malformed id');
    const after = await harness.get<Initiative>(`/v1/initiatives/${initiative.id}`, who.viewer);
    expect(after.body.version).toBe(initiative.version);
    expect(await historyOf(harness, initiative.id, who.viewer)).toHaveLength(1);
  });
});

describe('If-Match', () => {
  it('a mismatch → 412 without change; a match → 200 with the new ETag', async () => {
    const initiative = await create();
    const path = `/v1/initiatives/${initiative.id}/reviews`;
    const stale = `"${initiative.version + 5}"`;
    const problem = expectProblem(
      await harness.post(path, who.reviewerNW, { decision: 'approve' }, { 'if-match': stale }),
      412,
      'stale If-Match',
    );
    expect(problem.detail).toContain(String(initiative.version));
    const unchanged = await harness.get<Initiative>(`/v1/initiatives/${initiative.id}`, who.viewer);
    expect(unchanged.body.version).toBe(initiative.version);
    expect(unchanged.body.reviews.every((r) => r.status === 'pending')).toBe(true);
    expect(await historyOf(harness, initiative.id, who.viewer)).toHaveLength(1);

    const matched = await harness.post(
      path,
      who.reviewerNW,
      { decision: 'approve' },
      { 'if-match': `"${initiative.version}"` },
    );
    expect(matched.status).toBe(200);
    expect(matched.body.version).toBeGreaterThan(initiative.version);
    expect(matched.headers.get('etag')).toBe(`"${matched.body.version}"`);

    // the old version no longer matches for the other Land
    expectProblem(
      await harness.post(
        path,
        who.reviewerBY,
        { decision: 'approve' },
        { 'if-match': `"${initiative.version}"` },
      ),
      412,
      'If-Match of the previous version',
    );
    const current = await harness.post(
      path,
      who.reviewerBY,
      { decision: 'approve' },
      { 'if-match': `"${matched.body.version}"` },
    );
    expect(current.status).toBe(200);
    expect(current.body.phase).toBe('adopted');
  });
});

describe('400 on list queries', () => {
  it.each([
    ['limit=0', 'querystring/limit'],
    ['limit=101', 'querystring/limit'],
    ['phase=done', 'querystring/phase'],
    ['overdue=yes', 'querystring/overdue'],
    ['land=XX', 'querystring/land'],
    ['cursor=bm90LWEtY3Vyc29y', 'querystring/cursor'],
    ['sort=title', 'querystring/sort'],
  ])('?%s → 400', async (query, field) => {
    const problem = expectProblem(await harness.get(`/v1/initiatives?${query}`, who.viewer), 400, query);
    expectFieldError(problem, field, query);
  });
});
