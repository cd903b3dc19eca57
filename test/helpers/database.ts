/**
 * Test databases on the real PostgreSQL: one migrated template per run (named per run, so that concurrent
 * runs on one server do not drop each other's), one clone per test file.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export const adminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://dd:dd@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function cloneTemplate(template: string): Promise<ScratchDatabase> {
  const name = `dd_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
  // CREATE DATABASE … TEMPLATE needs the template to have no other sessions; clones run one at a time.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
      break;
    } catch (error) {
      if (attempt > 100 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  return scratchDatabase(name);
}

/** An empty database of its own (for a script run outside the test run; migrate it before use). */
export async function createDatabase(prefix = 'dd_scratch'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return scratchDatabase(name);
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

const scratchDatabase = (name: string): ScratchDatabase => ({
  name,
  url: databaseUrl(name),
  async drop() {
    const closer = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
    await closer.unsafe(`drop database if exists ${name} with (force)`);
    await closer.end();
  },
});
