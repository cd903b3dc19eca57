/**
 * GET /v1/events: one Server-Sent Event per audit event, ids from a global sequence in commit order,
 * resumption with Last-Event-ID while changes keep happening (nothing lost, nothing twice), the readers'
 * visibility, heartbeats, and streams that end when the app closes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { lastEventId, lastVisibleEventId } from '../db/events.js';
import { visibilityOf } from '../api/access.js';
import type { Initiative } from '../workflows/contracts.js';
import { historyOf, newInitiative, token, useHarness } from './kit/index.js';
import { EventStream, type StreamedEvent } from './helpers/sse.js';

interface Change {
  type: string;
  initiativeId: string;
  seq: number;
  phase: string;
  version: number | null;
  at: string;
}

const harness = useHarness();
const { who } = harness;
const streams: EventStream[] = [];

afterAll(async () => {
  for (const stream of streams) stream.close();
});

async function open(path: string, tokenValue: string, headers: Record<string, string> = {}) {
  const stream = await EventStream.open<Change>(harness.baseUrl, path, tokenValue, headers);
  streams.push(stream);
  return stream;
}

async function create(overrides: Record<string, unknown> = {}): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
  expect(response.status).toBe(201);
  return response.body;
}

async function approveByBoth(id: string): Promise<Initiative> {
  expect(
    (await harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerBY, { decision: 'approve' })).status,
  ).toBe(200);
  const last = await harness.post(`/v1/initiatives/${id}/reviews`, who.reviewerNW, { decision: 'approve' });
  expect(last.status).toBe(200);
  return last.body;
}

const of = (events: StreamedEvent<Change>[], ids: readonly string[]) =>
  events.filter((e) => ids.includes(e.data.initiativeId));

function expectConsecutive(ids: number[]): void {
  expect(ids.length).toBeGreaterThan(0);
  const first = ids[0] ?? 0;
  expect(ids).toEqual(ids.map((_, i) => first + i));
}

describe('the stream', () => {
  it('sends one event per audit event, in order, with the phase and version after the change', async () => {
    const stream = await open('/v1/events', who.viewer);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // the stream names its starting position before any event
    await stream.waitFor(() => stream.lastId !== undefined, 'the starting id');
    const start = stream.lastId ?? -1;
    const created = await create();
    const final = await approveByBoth(created.id);
    expect(final.phase).toBe('adopted');

    const history = await historyOf(harness, created.id, who.viewer);
    const events = of(
      await stream.waitFor((all) => of(all, [created.id]).length >= history.length, 'every audit event'),
      [created.id],
    );
    expect(events.map((e) => [e.data.seq, e.data.type, e.data.at])).toEqual(
      history.map((h) => [h.seq, h.type, h.at]),
    );
    // nothing else changed meanwhile: the ids follow on without a gap
    expectConsecutive(events.map((e) => e.id));
    expect(events[0]?.id).toBe(start + 1);
    expect(events[0]?.data).toMatchObject({
      type: 'initiative_created',
      phase: 'review',
      version: created.version,
    });
    expect(events.at(-1)?.data).toMatchObject({
      type: 'phase_changed',
      phase: 'adopted',
      version: final.version,
    });
    const versions = events.map((e) => e.data.version ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('resumes after Last-Event-ID while changes happen: nothing lost, nothing twice', async () => {
    let stream = await open('/v1/events', who.viewer);
    const received: StreamedEvent<Change>[] = [];
    let writing = true;
    // Five initiatives decided in parallel: their transactions interleave and commit in any order.
    const writes = (async () => {
      const initiatives = await Promise.all([1, 2, 3, 4, 5].map(() => create({ topic: 'education' })));
      await Promise.all(initiatives.map((i) => approveByBoth(i.id)));
      return initiatives.map((i) => i.id);
    })().finally(() => (writing = false));

    let reconnects = 0;
    // At least three resumptions even when the writes finish early (a fast machine): each one must still be
    // exact, before or after the last change.
    while (writing || reconnects < 3) {
      // A few events on this connection (or the end of the writes), then drop it and resume.
      await stream.waitFor((events) => events.length >= 2 || !writing, 'events on this connection');
      stream.close();
      await stream.ended;
      received.push(...stream.events);
      stream = await open('/v1/events', who.viewer, { 'last-event-id': String(stream.lastId) });
      reconnects += 1;
    }
    const ids = await writes;
    const histories = await Promise.all(ids.map((id) => historyOf(harness, id, who.viewer)));
    const expected = histories.flat().length;
    await stream.waitFor((events) => received.length + of(events, ids).length >= expected, 'the rest');
    stream.close();
    received.push(...stream.events);

    expect(reconnects).toBeGreaterThanOrEqual(3);
    expect(received).toHaveLength(expected);
    expectConsecutive(received.map((e) => e.id));
    const keys = received.map((e) => `${e.data.initiativeId}#${e.data.seq}`);
    expect(new Set(keys).size).toBe(expected);
    for (const [index, id] of ids.entries())
      expect(of(received, [id]).map((e) => e.data.seq)).toEqual(histories[index]?.map((h) => h.seq));
  });

  it('starts after ?after= or ?lastEventId=, and carries only what the reader may read', async () => {
    const viewer = await open('/v1/events', who.viewer);
    const partnersOnly = await create();
    const withHesse = await create({ invite: ['HE'] });
    const events = await viewer.waitFor(
      (all) => of(all, [partnersOnly.id, withHesse.id]).length >= 2,
      'both creations',
    );
    const start = (events[0]?.id ?? 1) - 1;
    const approved = await approveByBoth(withHesse.id);
    expect(approved.phase).toBe('consultation');
    const history = await historyOf(harness, withHesse.id, who.viewer);

    for (const query of [`after=${start}`, `lastEventId=${start}`]) {
      const hesse = await open(`/v1/events?${query}`, who.reviewerHE);
      await hesse.waitFor(
        (all) => of(all, [withHesse.id]).length >= history.length,
        `HE's events (${query})`,
      );
      expect(hesse.events.map((e) => e.data.initiativeId)).not.toContain(partnersOnly.id);
      expect(of(hesse.events, [withHesse.id]).map((e) => e.data.seq)).toEqual(history.map((h) => h.seq));
      hesse.close();
    }
  });

  it('from the bundesrat phase on, every Land reads the initiative and so its events', async () => {
    const cabinet = {
      BY: await token({ sub: 'k-by', land: 'BY', roles: ['cabinet'] }),
      NW: await token({ sub: 'k-nw', land: 'NW', roles: ['cabinet'] }),
    };
    const saxony = await open('/v1/events', await token({ sub: 'k-sn', land: 'SN', roles: ['cabinet'] }));
    const motion = await create({ channel: 'bundesrat', instrument: 'entschliessungsantrag' });
    expect((await approveByBoth(motion.id)).phase).toBe('cabinet');
    for (const land of ['BY', 'NW'] as const) {
      const decided = await harness.post(`/v1/initiatives/${motion.id}/cabinet-decisions`, cabinet[land], {
        decision: 'approve',
        decidedOn: new Date().toISOString().slice(0, 10),
      });
      expect(decided.status).toBe(200);
    }
    const events = await saxony.waitFor(
      (all) => of(all, [motion.id]).some((e) => e.data.type === 'phase_changed'),
      'the entry into the bundesrat phase',
    );
    // only the change that made it public and what follows; nothing from review or cabinet
    expect(of(events, [motion.id]).map((e) => [e.data.type, e.data.phase])).toEqual([
      ['cabinet_decided', 'bundesrat'],
      ['phase_changed', 'bundesrat'],
    ]);
  });
});

describe('refusals', () => {
  it('needs a token (401) and a well-formed cursor (400)', async () => {
    const anonymous = await harness.get<{ status: number }>('/v1/events');
    expect(anonymous.status).toBe(401);
    for (const [path, headers] of [
      ['/v1/events', { 'last-event-id': 'abc' }],
      ['/v1/events?after=-1', {}],
      ['/v1/events?lastEventId=x', {}],
    ] as const) {
      const refused = await harness.get<{ status: number; errors: unknown[] }>(path, who.viewer, headers);
      expect(refused.status, path).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('bounds of a stream', () => {
  it('ends the stream when its token expires; the old token then gets 401', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3;
    const shortLived = await token({ sub: 'short-lived', land: 'BY', roles: ['viewer'] }, exp);
    const stream = await open('/v1/events', shortLived);
    await stream.ended;
    // ended by the server at the token's end, not by a timeout of the test
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
    expect(Date.now()).toBeLessThan(exp * 1000 + 2_000);
    expect(stream.comments).toContain('token-expired');
    // past the clock tolerance (5 s), the token is refused
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 + 6_000 - Date.now()));
    expect((await harness.get('/v1/events', shortLived)).status).toBe(401);
  });

  it('holds at most five streams per principal: one more is a 429 problem, another principal still gets one', async () => {
    const mine = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) =>
        open('/v1/events', await token({ sub: 'many-tabs', land: 'BE', roles: ['viewer'] }, `${n}h`)),
      ),
    );
    const sixth = await fetch(`${harness.baseUrl}/v1/events`, {
      headers: {
        authorization: `Bearer ${await token({ sub: 'many-tabs', land: 'BE', roles: ['viewer'] })}`,
      },
    });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(sixth.headers.get('retry-after')).toBe('5');
    expect(((await sixth.json()) as { detail: string }).detail).toMatch(/EVENT_STREAMS_PER_PRINCIPAL/);
    const other = await open('/v1/events', who.viewer);
    other.close();
    // closing one frees its place
    mine[0]?.close();
    await mine[0]?.ended;
    const again = await eventuallyOpen(await token({ sub: 'many-tabs', land: 'BE', roles: ['viewer'] }));
    again.close();
    for (const stream of mine) stream.close();
  });

  it('starts at the last event the reader may read, not at the global head', async () => {
    const hesse = { sub: 'reviewer-he', land: 'HE', roles: ['reviewer'] } as const;
    // events Hesse may not read
    await create();
    const db = harness.database.db;
    const global = await lastEventId(db);
    const visible = await lastVisibleEventId(db, visibilityOf({ ...hesse, name: 'HE', roles: ['reviewer'] }));
    expect(visible).toBeLessThan(global);
    const stream = await open('/v1/events', await token({ ...hesse, roles: ['reviewer'] }));
    await eventuallyDefined(() => stream.lastId);
    expect(stream.lastId).toBe(visible);
    stream.close();
  });
});

/** Opens a stream once the server has noticed the closing of an earlier one (it counts on close). */
async function eventuallyOpen(tokenValue: string) {
  for (let tries = 0; ; tries++) {
    try {
      return await open('/v1/events', tokenValue);
    } catch (error) {
      if (tries > 40 || !String(error).includes('429')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function eventuallyDefined(read: () => unknown) {
  for (let tries = 0; read() === undefined; tries++) {
    if (tries > 100) throw new Error('nothing arrived');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('connection', () => {
  it('sends a retry hint and heartbeat comments while idle', async () => {
    const stream = await open('/v1/events', who.viewer);
    await stream.waitFor(() => stream.comments.includes('heartbeat'), 'a heartbeat', 20_000);
    expect(stream.events).toEqual([]);
  });

  it('closing the app ends the open streams (no hanging shutdown)', async () => {
    const stream = await open('/v1/events', who.viewer);
    const started = Date.now();
    await harness.close();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
