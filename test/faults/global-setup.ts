/**
 * Once per fault-suite run: the pinned Temporal CLI (fetched if needed) and the workflow bundle, which
 * every worker process of every test file loads instead of bundling at start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureTemporalCli } from '../../runtime/temporal-cli.js';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows.js';

export default async function setup(project: TestProject) {
  ensureTemporalCli();
  const scratch = mkdtempSync(join(tmpdir(), 'dd-faults-bundle-'));
  project.provide('workflowBundlePath', await writeWorkflowBundle(join(scratch, 'workflow-bundle.js')));
  return () => rmSync(scratch, { recursive: true, force: true });
}
