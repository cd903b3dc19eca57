/**
 * Records one workflow history per lifecycle path into test/fixtures/histories/, for test/replay.test.ts.
 * Everything is real and private to this run: a Temporal dev server, a fresh PostgreSQL database (dropped
 * afterwards), and the test kit's harness (worker on the current workflow code, API on a free port),
 * driven over HTTP by the kit's flows as test/helpers/recordings.ts describes each path.
 *
 *   npm run histories:record -- [--version v3] [--force] [--out dir] [path ...]
 *
 * Fixtures are named after the workflow version that produced them (`--version`, default
 * CURRENT_HISTORY_VERSION); each version has its own lifecycle paths (HISTORY_PATHS in
 * test/helpers/histories.ts). Without path names every path of the version is recorded. Existing files
 * are kept unless `--force` is given: the histories of a released version must not be re-recorded from
 * newer code, or they stop proving that the newer code replays what the old one left behind. For the same
 * reason, record a version's paths from that version's code: when the working tree already holds later
 * workflow changes, run the script in a clean export of the version's commit (`git archive <commit> | tar
 * -x -C dir`, node_modules and .tools linked) with `--out` pointing back here. `--out` also serves for a
 * dry run against changed code. Every history written is replayed against the bundle that produced it
 * before the script ends.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { startDevServer } from '../runtime/temporal-dev-server.js';
import { createDatabase } from '../test/helpers/database.js';
import {
  CURRENT_HISTORY_VERSION,
  HISTORIES_DIR,
  HISTORY_PATHS,
  historyFileName,
  isHistoryVersion,
  loadHistory,
  type HistoryPath,
} from '../test/helpers/histories.js';
import { eventsOf, RECORDINGS, type RecordingContext } from '../test/helpers/recordings.js';
import { eventually, waitForInitiative } from '../test/kit/client.js';
import { check, Flow, SESSIONS_2019 } from '../test/kit/flow.js';
import { WebhookReceiver } from '../test/kit/receiver.js';
import { Harness } from '../test/kit/service.js';
import { isTerminal } from '../workflows/domain.js';
import { writeWorkflowBundle } from './bundle-workflows.js';

const isSubsequence = (expected: string[], actual: string[]) => {
  let i = 0;
  for (const type of actual) if (type === expected[i]) i += 1;
  return i === expected.length;
};

/** Drives one path, waits until its workflow closed or settled, checks it and writes its history. */
async function record(path: HistoryPath, context: RecordingContext, file: string): Promise<void> {
  const { flow, client } = context;
  const recording = RECORDINGS[path];
  const id = await recording.drive(context);
  const initiative = await waitForInitiative(
    flow.api,
    id,
    flow.who.viewer,
    (i) => i.phase === recording.phase,
    {
      timeoutMs: 60_000,
      what: `phase ${recording.phase}`,
    },
  );
  if (recording.reason !== undefined)
    check(`${path}: outcome reason`, initiative.outcome?.reason, recording.reason);
  const handle = client.workflow.getHandle(id);
  if (isTerminal(initiative.phase) && !recording.staysOpen) await handle.result();
  else {
    // An open workflow: wait until no workflow task and no activity is pending and history stands still.
    let previous = -1;
    await eventually(
      async () => {
        const { raw } = await handle.describe();
        const length = Number(raw.workflowExecutionInfo?.historyLength ?? -1);
        const idle = !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0;
        const settled = idle && length === previous;
        previous = length;
        return settled;
      },
      (settled) => settled,
      { timeoutMs: 60_000, intervalMs: 300, what: `${id} to settle` },
    );
  }
  const types = (await flow.history(id)).map((item) => item.type);
  if (!isSubsequence(recording.audit, types))
    throw new Error(`${path}: audit trail ${types.join(', ')} lacks ${recording.audit.join(', ')}`);

  const workflowId = recording.workflowId ? await recording.workflowId(id, context) : id;
  const recorded = client.workflow.getHandle(workflowId);
  if (workflowId !== id) await recorded.result();
  const history = await recorded.fetchHistory();
  recording.checkHistory?.(history);
  writeFileSync(file, `${historyToJSON(history)}\n`);
  const kb = (statSync(file).size / 1024).toFixed(1);
  console.log(
    `${relative(process.cwd(), file)}: ${workflowId}, ${history.events?.length ?? 0} events, ${kb} KiB (${types.join(' → ')})`,
  );
  // The next path's initiatives notify nobody unless it subscribes itself.
  for (const subscription of context.subscriptions.splice(0))
    await flow.api.expect(204, 'DELETE', `/v1/webhooks/${subscription}`, { token: flow.who.admin });
}

/** The files to write, from the command line; refuses unknown versions and paths and existing files. */
function plan(): { path: HistoryPath; file: string }[] {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      version: { type: 'string', default: CURRENT_HISTORY_VERSION },
      force: { type: 'boolean', default: false },
      out: { type: 'string', default: HISTORIES_DIR },
    },
  });
  const { version } = values;
  if (!isHistoryVersion(version))
    throw new Error(
      `no lifecycle paths for ${version}; known versions: ${Object.keys(HISTORY_PATHS).join(', ')} ` +
        "(add the new version's paths to HISTORY_PATHS in test/helpers/histories.ts)",
    );
  const paths: readonly HistoryPath[] = HISTORY_PATHS[version];
  const unknown = positionals.filter((p) => !(paths as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`unknown ${version} paths ${unknown.join(', ')}; known: ${paths.join(', ')}`);
  const outDir = resolve(values.out);
  const planned = paths
    .filter((p) => positionals.length === 0 || positionals.includes(p))
    .map((path) => ({ path, file: join(outDir, historyFileName(version, path)) }));
  const existing = planned.filter(({ file }) => existsSync(file));
  if (existing.length > 0 && !values.force)
    throw new Error(
      `refusing to overwrite ${existing.map(({ file }) => relative(process.cwd(), file)).join(', ')}: ` +
        'histories of a released workflow version are frozen (pass --force to re-record them anyway)',
    );
  mkdirSync(outDir, { recursive: true });
  return planned;
}

async function main(): Promise<void> {
  const planned = plan();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const scratch = mkdtempSync(join(tmpdir(), 'dd-histories-'));
    cleanups.push(async () => rmSync(scratch, { recursive: true, force: true }));
    const [server, workflowBundlePath, database, receiver] = await Promise.all([
      startDevServer({ headless: true }),
      writeWorkflowBundle(join(scratch, 'workflow-bundle.js')),
      createDatabase('dd_histories'),
      WebhookReceiver.start(),
    ]);
    cleanups.push(
      () => server.stop(),
      () => receiver.close(),
    );
    const harness = new Harness();
    cleanups.push(() => harness.close());
    await harness.start(
      { temporalAddress: server.address, workflowBundlePath, database, migrate: true, namespace: 'default' },
      { worker: true },
    );
    const flow = new Flow(harness, harness.who);
    const context: RecordingContext = { flow, client: harness.client, receiver, subscriptions: [] };
    // The Bundesrat paths book sessions of the 2019 calendar (the database is fresh: nothing is booked yet).
    check('PUT 2019 calendar', (await flow.putCalendar(SESSIONS_2019)).status, 200);
    for (const { path, file } of planned) await record(path, context, file);

    // Self-check: every history just written replays against the code that wrote it. The replayer takes
    // the workflow type from the history's first event, so initiative and notification workflow histories
    // alike replay against the bundle, which exports both types.
    for (const { path, file } of planned) {
      const history = loadHistory(basename(file), dirname(file));
      const [type] = eventsOf(history, 'workflowExecutionStartedEventAttributes').map(
        (a) => a.workflowType?.name,
      );
      if (type !== 'initiativeWorkflow' && type !== 'notificationWorkflow')
        throw new Error(`${path}: unexpected workflow type ${type}`);
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: workflowBundlePath } },
        history,
        `replay-${path}`,
      );
    }
    console.log(`${planned.length} histories recorded and replayed.`);
  } finally {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => console.error(error));
  }
}

await main();
