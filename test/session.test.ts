/**
 * What front ends ask about the session: the authentication mode, development tokens (and their absence
 * in production), the caller (/v1/me) and the commands the caller may send on an initiative
 * (/allowed-actions). The allowed actions are checked against the commands themselves: in every state
 * below, each command the endpoint leaves out is refused by the API.
 */
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import {
  addDays,
  berlinToday,
  eventually,
  expectStatus,
  type Problem,
  SESSIONS_2019,
  startProductionModeApp,
  token,
  useHarness,
} from './kit/index.js';

const harness = useHarness({ calendar: SESSIONS_2019 });
const { who, flow } = harness;

interface AllowedAction {
  action: string;
  method: string;
  operation: string;
  path: string;
  lands?: string[];
}
interface Me {
  sub: string;
  name: string;
  land: string;
  roles: string[];
  actions: AllowedAction[];
}

describe('development mode', () => {
  it('says so without a token', async () => {
    const info = await harness.get('/v1/session-info');
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ mode: 'development', developmentTokens: true });
  });

  it('mints a token for the principal described, which the API accepts', async () => {
    const minted = await harness.post<{ token: string; principal: Record<string, unknown> }>(
      '/v1/dev/token',
      undefined,
      { name: 'A. Huber', land: 'BY', roles: ['proposer', 'reviewer'] },
    );
    expect(minted.status).toBe(200);
    expect(minted.body.principal).toEqual({
      sub: 'dev:A. Huber',
      name: 'A. Huber',
      land: 'BY',
      roles: ['proposer', 'reviewer'],
    });
    const me = await harness.get<Me>('/v1/me', minted.body.token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ sub: 'dev:A. Huber', name: 'A. Huber', land: 'BY' });
    expect(me.body.actions.map((a) => a.action)).toEqual(['create']);
    // the invitable Länder: every Land but the two partners
    expect(me.body.actions[0]?.lands).toHaveLength(14);
    expect(me.body.actions[0]?.lands).not.toContain('BY');
    expect(me.body.actions[0]?.lands).not.toContain('NW');
    const created = await harness.post<Initiative>('/v1/initiatives', minted.body.token, {
      title: 'Über das Token',
      summary: 'Angelegt mit einem Entwicklungstoken.',
      topic: 'education',
      channel: 'joint',
    });
    expect(created.status).toBe(201);
    expect(created.body.proposer).toEqual({ sub: 'dev:A. Huber', name: 'A. Huber', land: 'BY' });
  });

  it('refuses descriptions the schema does not admit', async () => {
    for (const body of [
      { name: 'X', land: 'XX', roles: ['viewer'] },
      { name: 'X', land: 'BY', roles: [] },
      { name: ' ', land: 'BY', roles: ['viewer'] },
      { name: 'X', land: 'BY', roles: ['root'] },
      { name: 'X', land: 'BY', roles: ['viewer'], ttl: '10y' },
    ]) {
      const response = await harness.post<Problem>('/v1/dev/token', undefined, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('the caller without create rights gets no create action', async () => {
    for (const tokenValue of [who.viewer, who.proposerHE, who.reviewerBY]) {
      const me = await harness.get<Me>('/v1/me', tokenValue);
      expect(me.status).toBe(200);
      expect(me.body.actions).toEqual([]);
    }
    expect((await harness.get('/v1/me')).status).toBe(401);
  });
});

describe('production mode', () => {
  it('has no token minting: 404, and the OpenAPI document does not mention it', async () => {
    // The JWKS is never fetched: no request here carries a token.
    const production = await startProductionModeApp(harness);
    try {
      const info = await production.get('/v1/session-info');
      expect(info.body).toEqual({ mode: 'production', developmentTokens: false });
      const response = await fetch(`${production.baseUrl}/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Eve', land: 'BY', roles: ['admin'] }),
      });
      expect(response.status).toBe(404);
      const document = await production.get<{ paths: Record<string, unknown> }>('/openapi.json');
      expect(Object.keys(document.body.paths)).toContain('/v1/session-info');
      expect(Object.keys(document.body.paths)).not.toContain('/v1/dev/token');
    } finally {
      await production.close();
    }
  });
});

/** A valid body for each command, so that a refusal is about who and when, never about the input. */
const COMMANDS: Record<string, { path: (land: string) => string; body: unknown }> = {
  review: { path: () => '/reviews', body: { decision: 'approve' } },
  revise: { path: () => '/revisions', body: { comment: 'Überarbeitet.' } },
  withdraw: { path: () => '/withdrawal', body: { reason: 'Nicht mehr nötig.' } },
  invite: { path: () => '/invitations', body: { lands: ['SL'] } },
  respond: { path: (land) => `/invitations/${land}`, body: { decision: 'join' } },
  cabinet: { path: () => '/cabinet-decisions', body: { decision: 'approve', decidedOn: '2019-01-15' } },
  submit: {
    path: () => '/bundesrat/submission',
    body: { drucksache: '901/19', submittedOn: '2019-01-02', procedure: 'committee' },
  },
  refer: { path: () => '/bundesrat/referral', body: { committees: ['In'], leadCommittee: 'In' } },
  decide: { path: () => '/bundesrat/decision', body: { decision: 'adopted', decidedOn: '2019-02-15' } },
  accede: { path: () => '/bundesrat/accessions', body: {} },
  extend: {
    path: () => '/extensions',
    body: { action: 'review', land: 'NW', until: addDays(berlinToday(), 40), reason: 'Nachfrist.' },
  },
  recommend: {
    path: () => '/bundesrat/recommendation',
    body: { recommendation: 'adopt', drucksache: '901/1/19', on: '2019-01-10' },
  },
  'follow-up': { path: () => '/bundesrat/follow-up', body: { receivedOn: '2019-03-01' } },
  correct: {
    path: () => '/corrections',
    body: { field: 'cabinetDecidedOn', value: '2019-01-03', reason: 'Korrektur.' },
  },
};

/** The Land claim of a test token. */
const landOf = (tokenValue: string) =>
  (JSON.parse(Buffer.from(tokenValue.split('.')[1] ?? '', 'base64url').toString()) as { land: string }).land;

async function allowed(id: string, tokenValue: string) {
  return harness.get<{ id: string; version: number; items: AllowedAction[] }>(
    `/v1/initiatives/${id}/allowed-actions`,
    tokenValue,
  );
}

/**
 * Checks the actions `principal` is offered on `initiative` and that the API refuses every other command
 * (refusals change nothing, so the initiative stays as it is for the next principal).
 */
async function expectActions(initiative: Initiative, principal: keyof typeof who, expected: string[] | 404) {
  const tokenValue = who[principal];
  const answer = await allowed(initiative.id, tokenValue);
  if (expected === 404) expect(answer.status, principal).toBe(404);
  else {
    expect(answer.status, principal).toBe(200);
    expect(answer.body.version, principal).toBe(initiative.version);
    expect(
      answer.body.items.map((a) => a.action),
      `${principal} on ${initiative.phase}`,
    ).toEqual(expected);
  }
  const land = landOf(tokenValue);
  const refused = Object.keys(COMMANDS).filter((action) => expected === 404 || !expected.includes(action));
  const statuses = await Promise.all(
    refused.map(async (action) => {
      const command = COMMANDS[action];
      if (!command) throw new Error(action);
      const response = await flow.post(initiative.id, command.path(land), tokenValue, command.body);
      return [action, response.status] as const;
    }),
  );
  for (const [action, status] of statuses)
    expect([403, 404, 409], `${principal} ${action} on ${initiative.phase}`).toContain(status);
  expect((await flow.get(initiative.id)).version, 'refusals change nothing').toBe(initiative.version);
}

describe('allowed actions: exactly what the commands accept', () => {
  it('in review, with an invited Land; four-eyes for a proposer who also reviews', async () => {
    const initiative = await flow.create({ invite: ['HE'] });
    await expectActions(initiative, 'proposerBY', ['withdraw', 'invite', 'extend']);
    await expectActions(initiative, 'reviewerNW', ['review', 'invite']);
    await expectActions(initiative, 'reviewerBY', ['review', 'invite']);
    await expectActions(initiative, 'reviewerHE', ['respond']);
    await expectActions(initiative, 'proposerNW', ['invite']);
    await expectActions(initiative, 'viewer', []);
    await expectActions(initiative, 'reviewerSN', 404);
    await expectActions(initiative, 'cabinetBY', ['extend']);
    await expectActions(initiative, 'cabinetNW', []);
    const both = await token({ sub: 'p-by', name: 'A. Huber', land: 'BY', roles: ['proposer', 'reviewer'] });
    const items = (await allowed(initiative.id, both)).body.items;
    expect(items.map((a) => a.action)).toEqual(['withdraw', 'invite', 'extend']);
    const invite = items.find((a) => a.action === 'invite');
    expect(invite).toMatchObject({
      method: 'POST',
      operation: '/v1/initiatives/{id}/invitations',
      path: `/v1/initiatives/${initiative.id}/invitations`,
    });
    expect(invite?.lands).toHaveLength(13);
    expect(invite?.lands).not.toContain('HE');
  });

  it('in revision, after one Land decided, and once closed', async () => {
    const initiative = await flow.create();
    const decided = await flow.command(initiative.id, '/reviews', who.reviewerBY, { decision: 'approve' });
    await expectActions(decided, 'reviewerBY', ['invite']);
    await expectActions(decided, 'reviewerNW', ['review', 'invite']);
    const revision = await flow.command(initiative.id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte präzisieren.',
    });
    expect(revision.phase).toBe('revision');
    await expectActions(revision, 'proposerBY', ['revise', 'withdraw', 'invite', 'extend']);
    await expectActions(revision, 'proposerBY2', ['invite', 'extend']);
    await expectActions(revision, 'reviewerNW', ['invite']);
    const withdrawn = await flow.command(initiative.id, '/withdrawal', who.proposerBY, {
      reason: 'Erledigt.',
    });
    await expectActions(withdrawn, 'proposerBY', []);
    await expectActions(withdrawn, 'reviewerNW', []);
  });

  it('in cabinet and through the Bundesrat stage', async () => {
    const cabinet = await flow.toCabinet();
    await expectActions(cabinet, 'cabinetBY', ['cabinet']);
    await expectActions(cabinet, 'cabinetSN', 404);
    await expectActions(cabinet, 'proposerBY', ['withdraw']);
    await expectActions(cabinet, 'liaisonBY', []);
    await flow.command(cabinet.id, '/cabinet-decisions', who.cabinetBY, {
      decision: 'approve',
      decidedOn: '2019-01-15',
    });
    const bundesrat = await flow.command(cabinet.id, '/cabinet-decisions', who.cabinetNW, {
      decision: 'approve',
      decidedOn: '2019-01-16',
    });
    expect(bundesrat.phase).toBe('bundesrat');
    await expectActions(bundesrat, 'liaisonBY', ['submit']);
    await expectActions(bundesrat, 'liaisonNW', []);
    await expectActions(bundesrat, 'cabinetSN', ['accede']);
    await expectActions(bundesrat, 'cabinetBY', ['correct']);
    const submitted = expectStatus(
      await flow.submit(bundesrat.id, { submittedOn: '2019-01-02', procedure: 'committee' }),
      200,
      'submission',
    );
    // A committee motion's reminder waits for the referral: the version stays still until then.
    await expectActions(await flow.get(submitted.id), 'liaisonBY', ['refer', 'correct']);
    await flow.command(submitted.id, '/bundesrat/referral', who.liaisonBY, {
      committees: ['In', 'R'],
      leadCommittee: 'In',
    });
    // The 2019 session is past: the reminder fires at once. Waiting for it keeps the version still.
    await eventually(
      () => flow.history(submitted.id),
      (items) => items.some((item) => item.type === 'bundesrat_decision_reminder'),
      { what: 'the liaison reminder' },
    );
    await expectActions(await flow.get(submitted.id), 'liaisonBY', ['recommend', 'decide', 'correct']);
    await expectActions(await flow.get(submitted.id), 'cabinetSN', ['accede']);
  });
});

describe('cross-field rules are part of the schema', () => {
  it('the OpenAPI document says when a review needs a comment and a motion an instrument', async () => {
    const document = await harness.get<{
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>
      >;
    }>('/openapi.json');
    const body = (path: string) =>
      document.body.paths[path]?.post?.requestBody.content['application/json']?.schema;
    expect(body('/v1/initiatives/{id}/reviews')).toMatchObject({
      if: { properties: { decision: { enum: ['request_changes', 'reject'] } } },
      then: { required: ['comment'] },
    });
    expect(body('/v1/initiatives')).toMatchObject({
      if: { properties: { channel: { enum: ['bundesrat'] } } },
      then: { required: ['instrument'] },
    });
  });

  it('the API answers them field by field', async () => {
    const initiative = await flow.create();
    const review = await flow.post(initiative.id, '/reviews', who.reviewerNW, { decision: 'reject' });
    expect(review.status).toBe(400);
    expect(review.body.errors).toEqual([{ path: 'body/comment', message: 'is required' }]);
    const create = await harness.post<Problem>('/v1/initiatives', who.proposerBY, {
      title: 'Antrag',
      summary: 'Ohne Instrument.',
      topic: 'education',
      channel: 'bundesrat',
    });
    expect(create.status).toBe(400);
    expect(create.body.errors).toEqual([{ path: 'body/instrument', message: 'is required' }]);
  });
});
