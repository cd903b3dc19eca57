/**
 * Once per test run: a real Temporal dev server (the pinned CLI, in memory, on free ports), a migrated
 * template database on the real PostgreSQL, and the workflow bundle, so that each test file only clones
 * the template and starts a worker.
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

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
  try {
    await admin`select 1`;
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl()} (${(error as Error).message}). ` +
        'Start it with `sudo scripts/test-postgres.sh` or set TEST_DATABASE_URL.',
    );
  }
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
    rmSync(scratch, { recursive: true, force: true });
  };
}
