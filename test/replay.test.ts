/**
 * Safe upgrades: every recorded workflow history (test/fixtures/histories/, written by
 * `scripts/record-histories.ts`) must replay against the current workflow code. A change that makes the
 * code issue different commands for an old history fails here with a DeterminismViolationError, before
 * it reaches a worker with running initiatives.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HISTORY_PATHS, historyFileName, historyFiles, loadHistory } from './helpers/histories.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = historyFiles();

beforeAll(() => {
  // A replay that fails is expected below; keep the SDK's and Core's report of it out of the test output.
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // Another test file in this process installed the runtime first; its logging is good enough.
  }
});

describe('recorded workflow histories', () => {
  // A missing fixture fails here: each version's paths stay recorded for as long as the code must replay them.
  it.each(Object.entries(HISTORY_PATHS))(
    'hold every lifecycle path of workflow version %s',
    (version, paths) => {
      const required = paths.map((path) => historyFileName(version, path));
      expect(required.filter((file) => !files.includes(file))).toEqual([]);
    },
  );

  it.each(files)('%s replays against the current workflow code', async (file) => {
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: 'replay-test' },
      loadHistory(file),
      file.replace(/\.json$/, ''),
    );
  });
});

/** The workflow types with recorded histories, by the file of workflows/ that defines each. */
const WORKFLOW_FILES = { initiativeWorkflow: 'initiative.ts', notificationWorkflow: 'notifications.ts' };

/**
 * Bundles a copy of workflows/ (outside the project, beside a copy of the lib/ it imports) after `alter`
 * has had its way with each workflow file.
 */
async function bundleCopy(
  scratch: string,
  name: string,
  alter: (source: string, workflow: keyof typeof WORKFLOW_FILES) => string,
): Promise<string> {
  const copy = join(scratch, name, 'workflows');
  cpSync(join(projectRoot, 'workflows'), copy, { recursive: true });
  cpSync(join(projectRoot, 'lib'), join(scratch, name, 'lib'), { recursive: true });
  for (const [workflow, file] of Object.entries(WORKFLOW_FILES)) {
    const workflowFile = join(copy, file);
    writeFileSync(
      workflowFile,
      alter(readFileSync(workflowFile, 'utf8'), workflow as keyof typeof WORKFLOW_FILES),
    );
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(copy, 'index.ts'),
    logger: new DefaultLogger('WARN'),
    // The copy lives outside the project: let it find @temporalio/workflow in the project's node_modules.
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        modules: [...(config.resolve?.modules ?? ['node_modules']), join(projectRoot, 'node_modules')],
      },
    }),
  });
  return code;
}

describe('the replay check', () => {
  let scratch: string;
  let unaltered: string;
  let altered: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'dd-replay-'));
    [unaltered, altered] = await Promise.all([
      bundleCopy(scratch, 'unaltered', (source) => source),
      // A new activity call before each workflow's first step: an old history has no such command.
      bundleCopy(scratch, 'altered', (source, workflow) => {
        const start = new RegExp(`export async function ${workflow}\\([^)]*\\)[^{]*\\{`);
        if (!start.test(source))
          throw new Error(`${workflow} not found in workflows/${WORKFLOW_FILES[workflow]}`);
        return (
          "import { proxyActivities as probeActivities } from '@temporalio/workflow';\n" +
          source.replace(
            start,
            (head) =>
              `${head}\n  await probeActivities<{ probe(): Promise<void> }>({ startToCloseTimeout: '1 minute' }).probe();\n`,
          )
        );
      }),
    ]);
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('accepts every history on an unaltered copy of the workflow code', async () => {
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { code: unaltered }, replayName: 'replay-unaltered' },
      files.map((file) => ({ workflowId: file, history: loadHistory(file) })),
    ))
      expect(result.error, result.workflowId).toBeUndefined();
  });

  it('fails every history with a DeterminismViolationError when an activity call is added', async () => {
    const failures: Record<string, unknown> = {};
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { code: altered }, replayName: 'replay-altered' },
      files.map((file) => ({ workflowId: file, history: loadHistory(file) })),
    ))
      failures[result.workflowId] = result.error;
    expect(Object.keys(failures).sort()).toEqual(files);
    for (const [file, error] of Object.entries(failures)) {
      expect(error, file).toBeInstanceOf(DeterminismViolationError);
      expect((error as Error).message, file).toMatch(/nondeterminism/i);
    }
    // And as the per-file replay above would report it, for either workflow type:
    for (const file of [
      historyFileName('v1', 'joint-adopted'),
      historyFileName('v3', 'webhook-notification-retried'),
    ])
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: { code: altered }, replayName: 'replay-altered-single' },
          loadHistory(file),
        ),
        file,
      ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
