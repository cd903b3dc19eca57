/**
 * Webhooks end to end: subscriptions over the API (admin only, allow-listed hosts), a real HTTP receiver on
 * 127.0.0.1, signed JSON deliveries with stable ids, retries with backoff while the receiver fails, and no
 * second delivery of what was acknowledged, also across a worker restart.
 */
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createAuthenticator } from '../api/auth.js';
import { webhooks as webhooksTable } from '../db/schema.js';
import { openSecret, sealPlaintextSecrets, sealSecret } from '../db/webhooks.js';
import { WEBHOOK_EVENTS, type Initiative } from '../workflows/contracts.js';
import {
  eventually,
  expectStatus,
  newInitiative,
  type People,
  type Problem,
  type Receipt,
  startExtraApp,
  TEST_SECRET,
  token,
  WEBHOOK_SECRET_KEY,
  useHarness,
  WebhookReceiver,
} from './kit/index.js';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}
interface Delivery {
  deliveryId: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError?: string;
  at: string;
  initiativeId: string;
}
const SECRET = 'a-shared-secret-of-enough-length';
/**
 * Whether a receipt verifies with the Standard Webhooks library (the secret's own bytes: its `raw` format),
 * within the library's replay window.
 */
function verifies(secret: string, receipt: Receipt): boolean {
  const headers = {
    'webhook-id': String(receipt.headers['webhook-id']),
    'webhook-timestamp': String(receipt.headers['webhook-timestamp']),
    'webhook-signature': String(receipt.headers['webhook-signature']),
  };
  try {
    new StandardWebhook(secret, { format: 'raw' }).verify(receipt.raw, headers);
    return true;
  } catch {
    return false;
  }
}

const harness = useHarness();
const who = harness.who as People & { adminNW: string };
let receiver: WebhookReceiver;
const created: string[] = [];

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  Object.assign(who, {
    admin: await token({ sub: 'admin', land: 'BE', roles: ['admin'] }),
    adminNW: await token({ sub: 'admin-nw', land: 'NW', roles: ['reviewer', 'admin'] }),
  });
});
afterAll(async () => {
  await receiver?.close();
});
// Every test subscribes its own receivers; none outlives it, so later tests' initiatives stay unnoticed.
afterEach(async () => {
  while (created.length > 0)
    expect(
      (await harness.request('DELETE', `/v1/webhooks/${created.pop()}`, { token: who.admin })).status,
    ).toBe(204);
});

async function subscribe(url: string, events: string[], secret = SECRET): Promise<Webhook> {
  const webhook = expectStatus(
    await harness.post<Webhook>('/v1/webhooks', who.admin, { url, events, secret }),
    201,
    'POST /v1/webhooks',
  );
  created.push(webhook.id);
  return webhook;
}

async function deliveries(webhookId: string, initiativeId?: string): Promise<Delivery[]> {
  const items = expectStatus(
    await harness.get<{ items: Delivery[] }>(`/v1/webhooks/${webhookId}/deliveries`, who.admin),
    200,
    'GET deliveries',
  ).items;
  return initiativeId === undefined ? items : items.filter((d) => d.initiativeId === initiativeId);
}

async function create(): Promise<Initiative> {
  return expectStatus(await harness.post('/v1/initiatives', who.proposerBY, newInitiative()), 201, 'create');
}
async function approve(id: string, as: string): Promise<Initiative> {
  return expectStatus(await harness.post(`/v1/initiatives/${id}/reviews`, as, { decision: 'approve' }), 200);
}

const ALL_EVENTS = [...WEBHOOK_EVENTS];

describe('deliveries', () => {
  it('delivers a lifecycle as signed JSON, one delivery id per delivery, only the subscribed events', async () => {
    const all = await subscribe(
      receiver.rule('/all', () => 204),
      ALL_EVENTS,
    );
    const outcomes = await subscribe(
      receiver.rule('/outcomes', () => 200),
      ['outcome'],
      'another-secret-0123456789',
    );
    const initiative = await create();
    await approve(initiative.id, who.reviewerNW);
    const adopted = await approve(initiative.id, who.reviewerBY);
    expect(adopted.phase).toBe('adopted');

    await eventually(
      async () =>
        receiver.acknowledged('/all', initiative.id).size +
        receiver.acknowledged('/outcomes', initiative.id).size,
      (n) => n === 5,
      { what: 'five acknowledged deliveries' },
    );
    // in the order of the audit trail (a change's notifications may overtake an earlier change's)
    const received = receiver
      .on('/all', initiative.id)
      .sort((a, b) => Number(a.body.seq) - Number(b.body.seq));
    expect(received.map((r) => r.headers['x-dd-event'])).toEqual([
      'created',
      'review_requested',
      'phase_changed',
      'outcome',
    ]);
    const ids = received.map((r) => r.headers['x-dd-delivery']);
    expect(new Set(ids).size).toBe(4);
    for (const r of received) {
      expect(r.headers['content-type']).toBe('application/json');
      // Standard Webhooks: id + timestamp + body signed with the subscription's secret, the id the delivery's
      expect(verifies(SECRET, r)).toBe(true);
      expect(verifies('another-secret-0123456789', r)).toBe(false);
      expect(r.headers['webhook-id']).toBe(r.headers['x-dd-delivery']);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(r.headers['x-dd-signature']).toBeUndefined();
      expect(r.body).toMatchObject({
        deliveryId: r.headers['x-dd-delivery'],
        event: r.headers['x-dd-event'],
        initiativeId: initiative.id,
      });
      expect(typeof r.body.seq).toBe('number');
      expect(typeof r.body.at).toBe('string');
    }
    expect(received[0]?.body).toMatchObject({ auditType: 'initiative_created', seq: 1 });
    expect(received[2]?.body).toMatchObject({
      auditType: 'phase_changed',
      data: { from: 'review', to: 'adopted' },
      phase: 'adopted',
      version: adopted.version,
    });
    expect(received[3]?.body).toMatchObject({
      auditType: 'phase_changed',
      event: 'outcome',
      seq: received[2]?.body.seq,
    });

    const [outcome, ...more] = receiver.on('/outcomes', initiative.id);
    expect(more).toEqual([]);
    expect(outcome?.headers['x-dd-event']).toBe('outcome');
    expect(outcome && verifies('another-secret-0123456789', outcome)).toBe(true);
    expect(ids).not.toContain(outcome?.headers['x-dd-delivery']);

    // the delivery log: every delivery acknowledged at the first attempt, newest first
    const log = await deliveries(all.id, initiative.id);
    expect(log.map((d) => [d.event, d.status, d.attempts])).toEqual(
      expect.arrayContaining([
        ['created', 'delivered', 1],
        ['review_requested', 'delivered', 1],
        ['phase_changed', 'delivered', 1],
        ['outcome', 'delivered', 1],
      ]),
    );
    expect(log).toHaveLength(4);
    expect(new Set(log.map((d) => d.deliveryId))).toEqual(new Set(ids));
    expect(log.every((d) => d.lastError === undefined)).toBe(true);
    const times = log.map((d) => Date.parse(d.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(
      log
        .slice(0, 2)
        .map((d) => d.event)
        .sort(),
    ).toEqual(['outcome', 'phase_changed']);
    expect(await deliveries(outcomes.id, initiative.id)).toMatchObject([
      { event: 'outcome', status: 'delivered' },
    ]);
  });

  it('retries while the receiver fails, recording the error, and delivers exactly once', async () => {
    const flaky = await subscribe(
      receiver.rule('/flaky', (attempt) => (attempt <= 2 ? 500 : 204)),
      ['created', 'review_requested'],
    );
    const initiative = await create();

    // while failing: pending, the receiver's answer recorded
    const failing = await eventually(
      () => deliveries(flaky.id, initiative.id),
      (log) => log.length === 2 && log.every((d) => d.status === 'pending' && d.attempts >= 1 && d.lastError),
      { timeoutMs: 10_000, intervalMs: 50, what: 'failed first attempts' },
    );
    expect(failing[0]?.lastError).toContain('500');

    const delivered = await eventually(
      () => deliveries(flaky.id, initiative.id),
      (log) => log.length === 2 && log.every((d) => d.status === 'delivered'),
      { timeoutMs: 20_000, what: 'both delivered after retries' },
    );
    for (const d of delivered) {
      expect(d.attempts).toBe(3);
      expect(d.lastError).toBeUndefined();
    }
    const acknowledged = receiver.acknowledged('/flaky', initiative.id);
    expect([...acknowledged.keys()].sort()).toEqual(delivered.map((d) => d.deliveryId).sort());
    expect([...acknowledged.values()]).toEqual([1, 1]);
    // every attempt carried the same delivery id and body (signed alike)
    for (const { deliveryId } of delivered) {
      const attempts = receiver
        .on('/flaky', initiative.id)
        .filter((r) => r.headers['x-dd-delivery'] === deliveryId);
      expect(attempts.map((r) => r.answered)).toEqual([500, 500, 204]);
      expect(new Set(attempts.map((r) => r.raw)).size).toBe(1);
      for (const r of attempts) expect(verifies(SECRET, r)).toBe(true);
    }
  });

  it('sends nothing twice across a worker restart, in flight or failing', async () => {
    let down = true;
    const steady = await subscribe(
      receiver.rule('/steady', () => 204),
      ALL_EVENTS,
    );
    const slow = await subscribe(
      receiver.rule('/slow', () => 204, 700),
      ['created', 'review_requested'],
    );
    const outage = await subscribe(
      receiver.rule('/outage', () => (down ? 503 : 204)),
      ALL_EVENTS,
    );
    const initiative = await create();

    // stop the worker while a delivery is in flight: the running attempt finishes first
    await eventually(
      async () => receiver.on('/slow', initiative.id).length,
      (n) => n >= 1,
      { intervalMs: 20, what: 'a delivery in flight' },
    );
    await harness.stopWorker();
    const slowLog = await deliveries(slow.id, initiative.id);
    expect(slowLog.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);
    expect(receiver.acknowledged('/steady', initiative.id).size).toBe(2);
    // the outage receiver's deliveries failed and wait for a retry
    const failed = await deliveries(outage.id, initiative.id);
    expect(failed.map((d) => [d.status, d.attempts, d.lastError])).toEqual([
      ['pending', 1, 'receiver answered 503'],
      ['pending', 1, 'receiver answered 503'],
    ]);

    down = false;
    await harness.startWorker();
    // the outage receiver gets each delivery once more; the others nothing new
    const delivered = await eventually(
      () => deliveries(outage.id, initiative.id),
      (log) => log.length === 2 && log.every((d) => d.status === 'delivered'),
      { timeoutMs: 20_000, what: 'delivered after the restart' },
    );
    expect(delivered.map((d) => d.attempts)).toEqual([2, 2]);

    // the lifecycle goes on with the new worker, and its deliveries arrive once too
    await approve(initiative.id, who.reviewerNW);
    expect((await approve(initiative.id, who.reviewerBY)).phase).toBe('adopted');
    await eventually(
      async () => [
        receiver.acknowledged('/steady', initiative.id).size,
        receiver.acknowledged('/outage', initiative.id).size,
      ],
      ([a, b]) => a === 4 && b === 4,
      { what: 'four deliveries acknowledged by the steady and the outage receivers' },
    );
    for (const path of ['/steady', '/slow', '/outage']) {
      const counts = receiver.acknowledged(path, initiative.id);
      expect(
        [...counts.values()].every((n) => n === 1),
        path,
      ).toBe(true);
    }
    // requests per receiver: each delivery once, plus the outage's refused first attempts
    expect(receiver.on('/steady', initiative.id)).toHaveLength(4);
    expect(receiver.on('/slow', initiative.id)).toHaveLength(2);
    expect(receiver.on('/outage', initiative.id)).toHaveLength(6);
    expect(
      (await deliveries(steady.id, initiative.id)).every((d) => d.status === 'delivered' && d.attempts === 1),
    ).toBe(true);
  });
});

describe('subscriptions', () => {
  it('creates, lists and deletes a subscription; the secret is never echoed', async () => {
    const url = receiver.rule('/managed', () => 204);
    const response = await harness.post<Webhook>('/v1/webhooks', who.adminNW, {
      url,
      events: ['phase_changed', 'outcome'],
      secret: SECRET,
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      url,
      events: ['phase_changed', 'outcome'],
      createdAt: expect.any(String) as unknown,
    });
    expect(Math.abs(Date.parse(response.body.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
    expect(response.headers.get('location')).toBe(`/v1/webhooks/${response.body.id}`);

    const list = expectStatus(await harness.get<{ items: Webhook[] }>('/v1/webhooks', who.admin), 200);
    expect(list.items).toContainEqual(response.body);
    expect(JSON.stringify(list)).not.toContain(SECRET);

    expect(await deliveries(response.body.id)).toEqual([]);
    const removed = await harness.request('DELETE', `/v1/webhooks/${response.body.id}`, { token: who.admin });
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined();
    expect(
      (await harness.get<{ items: Webhook[] }>('/v1/webhooks', who.admin)).body.items,
    ).not.toContainEqual(response.body);
    for (const [method, path] of [
      ['DELETE', `/v1/webhooks/${response.body.id}`],
      ['GET', `/v1/webhooks/${response.body.id}/deliveries`],
    ] as const) {
      const unknown = await harness.request<Problem>(method, path, { token: who.admin });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await harness.request('DELETE', '/v1/webhooks/not-a-uuid', { token: who.admin })).status).toBe(
      400,
    );
  });

  it.each([
    ['a name resolving to loopback addresses the list does not hold', 'http://localhost:1234/', 'body/url'],
    ['a loopback address the list does not name', 'http://127.0.0.2:1234/', 'body/url'],
    ['the IPv6 loopback address', 'http://[::1]:1234/', 'body/url'],
    ['another host', 'http://example.org/', 'body/url'],
    ['an allowed host with another spelling', 'http://127.0.0.1.nip.io/', 'body/url'],
    ['a scheme other than http(s)', 'ftp://127.0.0.1/', 'body/url'],
    ['credentials in the URL', 'http://user:pw@127.0.0.1/', 'body/url'],
    ['not a URL', 'nothing', 'body/url'],
  ])('refuses %s with 400 and stores nothing', async (_what, url, path) => {
    const before = await harness.database.db.select().from(webhooksTable);
    const response = await harness.post<Problem>('/v1/webhooks', who.admin, {
      url,
      events: ['created'],
      secret: SECRET,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([{ path, message: expect.any(String) as unknown }]);
    expect(await harness.database.db.select().from(webhooksTable)).toEqual(before);
  });

  it.each([
    ['no events', { events: [] }, 'body/events'],
    ['an unknown event', { events: ['created', 'deleted'] }, 'body/events/1'],
    ['a repeated event', { events: ['created', 'created'] }, 'body/events'],
    ['a short secret', { secret: 'too-short' }, 'body/secret'],
    ['a long secret', { secret: 'x'.repeat(257) }, 'body/secret'],
    ['no secret', { secret: undefined }, 'body/secret'],
    ['an unknown field', { active: true }, 'body/active'],
  ])('refuses %s with 400', async (_what, change, path) => {
    const response = await harness.post<Problem>('/v1/webhooks', who.admin, {
      url: `${receiver.base}/x`,
      events: ['created'],
      secret: SECRET,
      ...change,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((e) => e.path)).toContain(path);
    expect((await harness.get<{ items: Webhook[] }>('/v1/webhooks', who.admin)).body.items).toEqual([]);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = expectStatus(
      await harness.get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json'),
      200,
    );
    expect(Object.keys(doc.paths['/v1/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/webhooks/{id}'] ?? {})).toEqual(['delete']);
    expect(Object.keys(doc.paths['/v1/webhooks/{id}/deliveries'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/v1/tasks'] ?? {})).toEqual(['get']);
    expect(JSON.stringify(doc.paths['/v1/webhooks'])).toContain('WEBHOOK_ALLOWED_HOSTS');
  });

  it('is for admins only: others get 403, without a token 401', async () => {
    const webhook = await subscribe(
      receiver.rule('/admins-only', () => 204),
      ['created'],
    );
    const body = { url: `${receiver.base}/mine`, events: ['created'], secret: SECRET };
    for (const as of [who.viewer, who.reviewerBY, who.proposerNW]) {
      for (const [method, path, payload] of [
        ['POST', '/v1/webhooks', body],
        ['GET', '/v1/webhooks', undefined],
        ['DELETE', `/v1/webhooks/${webhook.id}`, undefined],
        ['GET', `/v1/webhooks/${webhook.id}/deliveries`, undefined],
      ] as const) {
        const response = await harness.request<Problem>(method, path, { token: as, body: payload });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    }
    expect((await harness.get('/v1/webhooks')).status).toBe(401);
    expect((await harness.post('/v1/webhooks', undefined, body)).status).toBe(401);
    // nothing changed
    const list = expectStatus(await harness.get<{ items: Webhook[] }>('/v1/webhooks', who.admin), 200);
    expect(list.items.map((w) => w.id)).toEqual([webhook.id]);
  });
});

describe('hardening', () => {
  it('signs id + timestamp + body: a replayed, re-dated or re-addressed delivery does not verify', async () => {
    const standard = `whsec_${randomBytes(24).toString('base64')}`;
    await subscribe(
      receiver.rule('/signed', () => 204),
      ['created'],
    );
    await subscribe(
      receiver.rule('/standard-secret', () => 204),
      ['created'],
      standard,
    );
    const initiative = await create();
    const [signed] = await eventually(
      async () => receiver.on('/signed', initiative.id),
      (r) => r.length === 1,
      { what: 'the signed delivery' },
    );
    const [withStandardSecret] = await eventually(
      async () => receiver.on('/standard-secret', initiative.id),
      (r) => r.length === 1,
      { what: 'the delivery signed with a whsec_ secret' },
    );
    if (!signed || !withStandardSecret) throw new Error('no delivery');
    expect(verifies(SECRET, signed)).toBe(true);
    // a whsec_ secret is used as the Standard Webhooks libraries read it (its base64-decoded bytes)
    expect(() =>
      new StandardWebhook(standard).verify(withStandardSecret.raw, {
        'webhook-id': String(withStandardSecret.headers['webhook-id']),
        'webhook-timestamp': String(withStandardSecret.headers['webhook-timestamp']),
        'webhook-signature': String(withStandardSecret.headers['webhook-signature']),
      }),
    ).not.toThrow();
    const replay = (change: Partial<Record<string, string>>, raw = signed.raw): Receipt => ({
      ...signed,
      raw,
      headers: { ...signed.headers, ...change },
    });
    // the old body-only signature held for ever; this one names its time, and the receiver's window ends
    const stamp = Number(signed.headers['webhook-timestamp']);
    expect(verifies(SECRET, replay({ 'webhook-timestamp': String(stamp - 600) }))).toBe(false);
    expect(verifies(SECRET, replay({ 'webhook-timestamp': String(stamp + 1) }))).toBe(false);
    expect(verifies(SECRET, replay({ 'webhook-id': 'another-delivery' }))).toBe(false);
    expect(verifies(SECRET, replay({}, signed.raw.replace('"seq":1', '"seq":2')))).toBe(false);
  });

  it('stores secrets sealed with WEBHOOK_SECRET_KEY, bound to their subscription', async () => {
    const webhook = await subscribe(
      receiver.rule('/sealed', () => 204),
      ['created'],
    );
    const [row] = await harness.database.db
      .select()
      .from(webhooksTable)
      .where(eq(webhooksTable.id, webhook.id));
    expect(row?.secret).toBeNull();
    expect(row?.secretSealed).toMatch(/^v1\./);
    expect(row?.secretSealed).not.toContain(SECRET);
    expect(openSecret(WEBHOOK_SECRET_KEY, webhook.id, row?.secretSealed ?? '')).toBe(SECRET);
    expect(() => openSecret(randomBytes(32), webhook.id, row?.secretSealed ?? '')).toThrow(
      /WEBHOOK_SECRET_KEY/,
    );
    // copied onto another subscription's row, it does not open
    expect(() => openSecret(WEBHOOK_SECRET_KEY, crypto.randomUUID(), row?.secretSealed ?? '')).toThrow();
  });

  it('delivers for rows from before sealing, and seals them (the migration of existing rows)', async () => {
    const url = receiver.rule('/legacy', () => 204);
    const [legacy] = await harness.database.db
      .insert(webhooksTable)
      .values({ url, events: ['created'], secret: SECRET, createdBy: 'before-sealing' })
      .returning({ id: webhooksTable.id });
    if (!legacy) throw new Error('no row');
    created.push(legacy.id);
    const first = await create();
    const [before] = await eventually(
      async () => receiver.on('/legacy', first.id),
      (r) => r.length === 1,
      { what: 'a delivery of the plain-text row' },
    );
    expect(before && verifies(SECRET, before)).toBe(true);

    expect(await sealPlaintextSecrets(harness.database.db, WEBHOOK_SECRET_KEY)).toBe(1);
    expect(await sealPlaintextSecrets(harness.database.db, WEBHOOK_SECRET_KEY)).toBe(0);
    const [row] = await harness.database.db
      .select()
      .from(webhooksTable)
      .where(eq(webhooksTable.id, legacy.id));
    expect(row?.secret).toBeNull();
    expect(openSecret(WEBHOOK_SECRET_KEY, legacy.id, row?.secretSealed ?? '')).toBe(SECRET);

    const second = await create();
    const [after] = await eventually(
      async () => receiver.on('/legacy', second.id),
      (r) => r.length === 1,
      { what: 'a delivery of the sealed row' },
    );
    expect(after && verifies(SECRET, after)).toBe(true);
  });

  it('never connects to a name that resolves to a refused address at delivery (DNS rebinding)', async () => {
    // As if `localhost` had resolved to a public address when it was subscribed, and rebinds now.
    const id = crypto.randomUUID();
    const url = receiver.rule('/rebound', () => 204).replace('127.0.0.1', 'localhost');
    await harness.database.db.insert(webhooksTable).values({
      id,
      url,
      events: ['created', 'review_requested'],
      secretSealed: sealSecret(WEBHOOK_SECRET_KEY, id, SECRET),
      createdBy: 'rebinding',
    });
    created.push(id);
    const initiative = await create();
    const log = await eventually(
      () => deliveries(id, initiative.id),
      (items) => items.length === 2 && items.every((d) => d.status === 'failed'),
      { what: 'both deliveries refused' },
    );
    for (const d of log) expect(d.lastError).toMatch(/localhost resolves to .*loopback/);
    expect(receiver.on('/rebound')).toEqual([]);
  });

  it('allows a private address only where the list holds it, and https only in production', async () => {
    const authenticate = createAuthenticator({ mode: 'development', secret: TEST_SECRET });
    const ranged = await startExtraApp(harness, authenticate, {
      webhookAllowedHosts: ['localhost:*', '127.0.0.0/8', '::1'],
    });
    const production = await startExtraApp(harness, authenticate, { webhookHttpsOnly: true });
    try {
      const url = receiver.rule('/ranged', () => 204).replace('127.0.0.1', 'localhost');
      const allowed = expectStatus(
        await ranged.post<Webhook>('/v1/webhooks', who.admin, { url, events: ['created'], secret: SECRET }),
        201,
      );
      created.push(allowed.id);
      const refused = await production.post<Problem>('/v1/webhooks', who.admin, {
        url: `${receiver.base}/plain-http`,
        events: ['created'],
        secret: SECRET,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { path: 'body/url', message: expect.stringContaining('https') as unknown },
      ]);
    } finally {
      await ranged.close();
      await production.close();
    }
  });
});
