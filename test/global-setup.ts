/**
 * Once per test run: a real Temporal dev server (the pinned CLI, in memory, on free ports), a migrated
 * template database on a real PostgreSQL, and the workflow bundle, so that each test file only clones
 * the template and starts a worker. PostgreSQL is TEST_DATABASE_URL, else the server on the default port
 * if it answers, else a private throwaway cluster made from the machine's PostgreSQL binaries: `npm test`
 * needs no set-up step of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/client.js';
import { freePort, startDevServer } from '../runtime/temporal-dev-server.js';
import { writeWorkflowBundle } from '../scripts/bundle-workflows.js';
import { adminUrl, databaseUrl } from './helpers/database.js';
import { PrivatePostgres } from './kit/private-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    templateDatabase: string;
  }
}

/** Whether PostgreSQL answers at `url`; the reason when it does not. */
async function answers(url: string): Promise<true | string> {
  const probe = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    await probe`select 1`;
    return true;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/** PostgreSQL for this run; a private cluster is made (and later removed) when none is configured or running. */
async function provisionPostgres(): Promise<(() => Promise<void>) | undefined> {
  const configured = process.env.TEST_DATABASE_URL !== undefined;
  const reachable = await answers(adminUrl());
  if (reachable === true) return undefined;
  if (configured)
    throw new Error(`PostgreSQL is not reachable at TEST_DATABASE_URL=${adminUrl()} (${reachable}).`);
  const dir = mkdtempSync(join(tmpdir(), 'dd-postgres-'));
  try {
    const cluster = await PrivatePostgres.create(dir, await freePort());
    // Every test process is forked after this: they all find the private cluster through the variable.
    process.env.TEST_DATABASE_URL = cluster.url();
    return async () => {
      await cluster.destroy();
      rmSync(dir, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `No PostgreSQL at ${adminUrl()} (${reachable}), and no private cluster could be made from the ` +
        `machine's PostgreSQL binaries (${(error as Error).message}). Install PostgreSQL ` +
        '(Debian: `apt-get install postgresql`), or set TEST_DATABASE_URL.',
    );
  }
}

export default async function setup(project: TestProject) {
  const removePostgres = await provisionPostgres();
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
