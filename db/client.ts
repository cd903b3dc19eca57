/**
 * Opens the database: PostgreSQL through the `postgres` driver when a URL is given, otherwise an embedded
 * PostgreSQL (PGlite) in a directory, so that `npm start` needs no server. Both yield the same drizzle API.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import type { Tracer } from '@opentelemetry/api';
import { databaseAttributes, traceSql } from './tracing.js';

export type Database = PgDatabase<PgQueryResultHKT>;

export interface DatabaseHandle {
  db: Database;
  /** Applies the committed migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  kind: 'postgres' | 'embedded';
  /** Subscribes to a notification channel on a connection of its own (PostgreSQL only). */
  listen?(channel: string, handlers: ListenHandlers): { unlisten(): Promise<void> };
}

export interface ListenHandlers {
  notification(payload: string): void;
  /** The subscription is live (again): notifications from now on arrive. */
  subscribed(): void;
  /** The connection is gone: notifications are missed until `subscribed` runs again. */
  lost(): void;
}

const RESUBSCRIBE_DELAY_MS = 1_000;

/**
 * postgres.js's own `listen` tries once to resubscribe after a disconnect and then gives up silently, so a
 * database restart would leave a listener deaf. This one reports the loss and retries until it is back.
 */
function listenOn(url: string, channel: string, handlers: ListenHandlers) {
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connection = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: 5,
    onnotice: () => undefined,
    onnotify: (name: string, payload: string) => {
      if (name === channel) handlers.notification(payload);
    },
    onclose: () => {
      if (closed) return;
      handlers.lost();
      scheduleSubscribe();
    },
    // onnotify and onclose are honoured by postgres.js but missing from its option types.
  } as Parameters<typeof postgres>[1]);
  const scheduleSubscribe = () => {
    clearTimeout(retry);
    retry = setTimeout(() => void subscribe(), RESUBSCRIBE_DELAY_MS);
  };
  const subscribe = async () => {
    try {
      await connection.unsafe(`listen "${channel.replace(/"/g, '""')}"`);
      if (!closed) handlers.subscribed();
    } catch {
      if (!closed) scheduleSubscribe();
    }
  };
  void subscribe();
  return {
    async unlisten() {
      closed = true;
      clearTimeout(retry);
      await connection.end({ timeout: 1 });
    },
  };
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary constant for pg_advisory_lock, so that concurrent starts migrate one after another. */
const MIGRATION_LOCK = 4_270_201;

export interface DatabaseOptions {
  url?: string | undefined;
  embeddedDir: string;
  /** Pool size for PostgreSQL. */
  max?: number;
  /** A span per SQL statement (db/tracing.ts), when tracing is on; PostgreSQL only. */
  tracer?: Tracer | undefined;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.max ?? 10, options.tracer)
    : openEmbedded(options.embeddedDir);
}

async function openPostgres(url: string, max: number, tracer?: Tracer): Promise<DatabaseHandle> {
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, {
    max,
    onnotice: () => undefined,
    connect_timeout: 5,
    // Fail fast while the server is down, so that callers can answer 503 instead of hanging.
    idle_timeout: 30,
  });
  if (tracer) traceSql(client, tracer, databaseAttributes(url));
  const db = drizzle(client);
  return {
    db,
    kind: 'postgres',
    async migrate() {
      const single = postgres(url, { max: 1, onnotice: () => undefined });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migrate(drizzle(single), { migrationsFolder });
        await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      } finally {
        await single.end();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
    listen: (channel, handlers) => listenOn(url, channel, handlers),
  };
}

async function openEmbedded(dir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  mkdirSync(dir, { recursive: true });
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  // The list's `q` filter is indexed with trigrams (migration 0007).
  const client = await PGlite.create(dir, { extensions: { pg_trgm } });
  const db = drizzle(client);
  return {
    db,
    kind: 'embedded',
    migrate: () => migrate(db, { migrationsFolder }),
    async ping() {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}
