/**
 * Webhooks end to end: subscriptions over the API (admin only, allow-listed hosts), a real HTTP receiver on
 * 127.0.0.1, signed JSON deliveries with stable ids, retries with backoff while the receiver fails, and no
 * second delivery of what was acknowledged, also across a worker restart.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhooks as webhooksTable } from '../db/schema.js';
import { WEBHOOK_EVENTS, type Initiative } from '../workflows/contracts.js';
import {
  eventually,
  expectStatus,
  newInitiative,
  type People,
  type Problem,
  token,
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
const sign = (secret: string, raw: string) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

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
      // the signature is the HMAC-SHA256 of the raw body with the subscription's secret
      expect(r.headers['x-dd-signature']).toBe(sign(SECRET, r.raw));
      expect(r.headers['x-dd-signature']).not.toBe(sign('another-secret-0123456789', r.raw));
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
    expect(outcome?.headers['x-dd-signature']).toBe(sign('another-secret-0123456789', outcome?.raw ?? ''));
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
      for (const r of attempts) expect(r.headers['x-dd-signature']).toBe(sign(SECRET, r.raw));
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
    ['a host off the allow-list', 'http://localhost:1234/', 'body/url'],
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
