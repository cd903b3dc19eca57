/**
 * Opens the database: PostgreSQL through the `postgres` driver when a URL is given, otherwise an embedded
 * PostgreSQL (PGlite) in a directory, so that `npm start` needs no server. Both yield the same drizzle API.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

export type Database = PgDatabase<PgQueryResultHKT>;

export interface DatabaseHandle {
  db: Database;
  /** Applies the committed migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  kind: 'postgres' | 'embedded';
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary constant for pg_advisory_lock, so that concurrent starts migrate one after another. */
const MIGRATION_LOCK = 4_270_201;

export interface DatabaseOptions {
  url?: string | undefined;
  embeddedDir: string;
  /** Pool size for PostgreSQL. */
  max?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options.max ?? 10) : openEmbedded(options.embeddedDir);
}

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, {
    max,
    onnotice: () => undefined,
    connect_timeout: 5,
    // Fail fast while the server is down, so that callers can answer 503 instead of hanging.
    idle_timeout: 30,
  });
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
  };
}

async function openEmbedded(dir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
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
