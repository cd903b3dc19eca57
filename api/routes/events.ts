/**
 * GET /v1/events: Server-Sent Events, one per audit event, `id` = the event log's global sequence (issued
 * in commit order, db/events.ts). A client resumes with `Last-Event-ID` (or `?lastEventId=` / `?after=`)
 * and misses nothing nor sees anything twice. One poller per app watches the log's head and wakes the
 * open streams; each stream reads on from its own cursor with its principal's visibility.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { eventsBetween, lastEventId, type ChangeEvent } from '../../db/events.js';
import type { Visibility } from '../../db/initiatives.js';
import { visibilityOf } from '../access.js';
import { badRequest } from '../problems.js';
import { problemResponses } from './shared.js';

/** How often the log's head is polled while streams are open. */
const POLL_MS = 250;
/** How often a stream sends a comment line, so that proxies and clients see it alive. */
const HEARTBEAT_MS = 10_000;
const BATCH = 200;
const Cursor = Type.Integer({ minimum: 0, description: 'resume after this event id' });

const EventsQuery = Type.Object(
  { lastEventId: Type.Optional(Cursor), after: Type.Optional(Cursor) },
  { additionalProperties: false },
);

/** Where a stream starts: the `Last-Event-ID` a reconnecting EventSource sends wins over the query. */
function startingCursor(header: string | string[] | undefined, query: Record<string, number | undefined>) {
  if (header === undefined) return query.lastEventId ?? query.after;
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\d{1,15}$/.test(text.trim()))
    throw badRequest('Last-Event-ID must be an event id the stream sent.', [
      { path: 'headers/last-event-id', message: 'is not a non-negative integer' },
    ]);
  return Number(text.trim());
}

/** Watches the head of the log and wakes whoever waits for an id beyond what they have read. */
class HeadWatcher {
  private head = 0;
  private waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly db: Database,
    private readonly pollMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Resolves once the head passes `cursor` (at once if it has), or when `abort` fires. */
  beyond(cursor: number, abort: AbortSignal): Promise<number> {
    if (this.head > cursor || abort.aborted) return Promise.resolve(this.head);
    return new Promise((resolve) => {
      const wake = () => {
        if (this.head <= cursor && !abort.aborted) return;
        this.waiters.delete(wake);
        abort.removeEventListener('abort', wake);
        this.idleCheck();
        resolve(this.head);
      };
      this.waiters.add(wake);
      abort.addEventListener('abort', wake);
      this.timer ??= setInterval(() => void this.poll(), this.pollMs);
    });
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const head = await lastEventId(this.db);
      if (head > this.head) {
        this.head = head;
        for (const wake of [...this.waiters]) wake();
      }
    } catch (error) {
      // The database may be away for a while; the streams wait and this keeps trying.
      this.log.warn({ err: error }, 'event log poll failed');
    } finally {
      this.polling = false;
    }
  }

  private idleCheck(): void {
    if (this.waiters.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  stop(): void {
    for (const wake of [...this.waiters]) wake();
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

const frame = (event: ChangeEvent) => {
  const { id, ...data } = event;
  return `id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
};

/** Writes with back-pressure: waits for `drain` unless the client went away first. */
async function write(raw: ServerResponse, chunk: string, gone: AbortSignal): Promise<void> {
  if (raw.write(chunk) || gone.aborted) return;
  await once(raw, 'drain', { signal: gone }).catch(() => undefined);
}

/** Sends everything after `cursor` the principal may read, then keeps following the head. */
async function follow(
  raw: ServerResponse,
  db: Database,
  visibility: Visibility,
  cursor: number,
  watcher: HeadWatcher,
  gone: AbortSignal,
): Promise<void> {
  let position = cursor;
  while (!gone.aborted) {
    const head = await watcher.beyond(position, gone);
    if (gone.aborted) return;
    // Every id up to the head has committed (commit order), so after reading them all the cursor may
    // jump to the head even when the principal could read none of them.
    for (;;) {
      const batch = await eventsBetween(db, visibility, position, head, BATCH);
      for (const event of batch) await write(raw, frame(event), gone);
      if (batch.length < BATCH) break;
      position = batch.at(-1)?.id ?? position;
    }
    position = head;
  }
}

export const eventRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const watcher = new HeadWatcher(db, POLL_MS, app.log);
  const open = new Set<AbortController>();
  // Before the server stops accepting: end every stream, or close() would wait for them for ever.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.abort();
    watcher.stop();
  });

  app.get(
    '/events',
    {
      config: { latencyHistogram: false },
      // A stream has no length to report: HEAD would only hold a connection open.
      exposeHeadRoute: false,
      schema: {
        summary: 'The change feed as Server-Sent Events',
        description:
          'One event per audit event the caller may read: `id` is a global sequence issued in commit ' +
          'order, `data` is `{type, initiativeId, seq, phase, version, at}` (`version` is null for ' +
          'events recorded before the log existed). Resume with the `Last-Event-ID` header (what ' +
          'EventSource sends on reconnect), `lastEventId` or `after`; without them the stream starts at ' +
          'the present. Comment lines are heartbeats.',
        tags: ['dashboards'],
        querystring: EventsQuery,
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          ...problemResponses(400, 401, 503),
        },
      },
    },
    async (request, reply) => {
      const requested = startingCursor(request.headers['last-event-id'], request.query);
      const cursor = requested ?? (await lastEventId(db));
      const visibility = visibilityOf(request.principal);

      const stream = new AbortController();
      open.add(stream);
      const raw = reply.raw;
      reply.hijack();
      raw.once('close', () => stream.abort());
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise buffer the stream.
        'x-accel-buffering': 'no',
      });
      // The starting position as an id without data: a client that drops before the first event
      // still resumes from here (EventSource keeps the id of an event it does not dispatch).
      raw.write(`retry: 2000\nid: ${cursor}\n\n`);
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
      try {
        await follow(raw, db, visibility, cursor, watcher, stream.signal);
      } catch (error) {
        request.log.warn({ err: error }, 'event stream ended by an error');
      } finally {
        clearInterval(heartbeat);
        open.delete(stream);
        raw.end();
      }
    },
  );
};
