/**
 * GET /v1/events: Server-Sent Events, one per audit event, `id` = the event log's global sequence (issued
 * in commit order, db/events.ts). A client resumes with `Last-Event-ID` (or `?lastEventId=` / `?after=`)
 * and misses nothing nor sees anything twice. One poller per app watches the log's head and wakes the
 * open streams; each stream reads on from its own cursor with its principal's visibility.
 *
 * A stream is authorised once, at its start: it ends when the token it was opened with stops being accepted
 * (api/auth.ts `tokenEndOf`), after the comment line `: token-expired`. Each principal may hold a few streams per
 * API process (EVENT_STREAMS_PER_PRINCIPAL); one more is answered 429.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { eventsBetween, lastEventId, lastVisibleEventId, type ChangeEvent } from '../../db/events.js';
import type { Visibility } from '../../db/initiatives.js';
import { visibilityOf } from '../access.js';
import { tokenEndOf } from '../auth.js';
import { badRequest, HttpProblem } from '../problems.js';
import { problemResponses } from './shared.js';

/** How often the log's head is polled while streams are open. */
const POLL_MS = 250;
/** How often a stream sends a comment line, so that proxies and clients see it alive. */
const HEARTBEAT_MS = 10_000;
const BATCH = 200;
/** Streams one principal may hold open on one API process, unless the app is told otherwise. */
export const DEFAULT_STREAMS_PER_PRINCIPAL = 5;
/** setTimeout's longest delay; a later token end is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
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

/** Calls `then` at `at` (ms since the epoch), also beyond setTimeout's range; returns the cancel. */
function at(time: number, then: () => void): () => void {
  let timer: NodeJS.Timeout;
  const wait = () => {
    const left = time - Date.now();
    if (left <= 0) return then();
    timer = setTimeout(wait, Math.min(left, LONGEST_TIMER_MS));
  };
  wait();
  return () => clearTimeout(timer);
}

export interface EventRouteOptions {
  db: Database;
  /** Streams one principal (`sub`) may hold open on this process (EVENT_STREAMS_PER_PRINCIPAL). */
  streamsPerPrincipal?: number | undefined;
}

export const eventRoutes: FastifyPluginAsyncTypebox<EventRouteOptions> = async (app, options) => {
  const { db } = options;
  const streamsPerPrincipal = options.streamsPerPrincipal ?? DEFAULT_STREAMS_PER_PRINCIPAL;
  const watcher = new HeadWatcher(db, POLL_MS, app.log);
  const open = new Set<AbortController>();
  /** Open streams per principal (`sub`). */
  const held = new Map<string, number>();
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
          'the present (the first `id:` is the last event the caller may read). Comment lines are ' +
          'heartbeats. The stream ends when the token expires (or reaches its maximum age), after the ' +
          'comment `: token-expired`; reconnect with a fresh token. A principal holds at most ' +
          'EVENT_STREAMS_PER_PRINCIPAL streams per API process (default 5); one more is answered 429.',
        tags: ['dashboards'],
        querystring: EventsQuery,
        response: {
          200: {
            description: 'The stream: `id:`, `data:` and comment lines',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...problemResponses(400, 401, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const requested = startingCursor(request.headers['last-event-id'], request.query);
      const visibility = visibilityOf(request.principal);
      const cursor = requested ?? (await lastVisibleEventId(db, visibility));
      const { sub } = request.principal;
      const holding = held.get(sub) ?? 0;
      if (holding >= streamsPerPrincipal)
        throw new HttpProblem(
          429,
          `You hold ${holding} open event streams on this server, the most one principal may (EVENT_STREAMS_PER_PRINCIPAL). Close one, or share one stream between tabs.`,
          undefined,
          5,
        );
      held.set(sub, holding + 1);

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
      // Authorised once, so not beyond the token: at its end the stream says so and closes.
      const tokenEnd = tokenEndOf(request.principal);
      const cancelEnd =
        tokenEnd === undefined
          ? () => undefined
          : at(tokenEnd, () => {
              if (stream.signal.aborted) return;
              // A comment, which every client ignores; the reconnect with the old token then meets 401.
              raw.write(': token-expired\n\n');
              stream.abort();
            });
      try {
        await follow(raw, db, visibility, cursor, watcher, stream.signal);
      } catch (error) {
        request.log.warn({ err: error }, 'event stream ended by an error');
      } finally {
        clearInterval(heartbeat);
        cancelEnd();
        open.delete(stream);
        const left = (held.get(sub) ?? 1) - 1;
        if (left > 0) held.set(sub, left);
        else held.delete(sub);
        raw.end();
      }
    },
  );
};
