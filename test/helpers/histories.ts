/**
 * Recorded workflow histories (test/fixtures/histories/): where they live, which lifecycle paths must be
 * there, and how to write and read one. Shared by scripts/record-histories.ts and test/replay.test.ts.
 *
 * A fixture is named `<version>-<path>.json`, where the version names the workflow code that produced it.
 * Fixtures of earlier versions stay committed, so that every later workflow change is replayed against the
 * histories its predecessors left behind (Temporal's safe-deployment rule).
 *
 * The files are protobuf JSON, the format of `temporal workflow show --output json`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// protobufjs 8 is a direct dependency so that npm keeps one copy: with two, these helpers of the SDK fail
// with "type must be a Type".
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils.js';

export const HISTORIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'histories');

/** The workflow version the recorder names its fixtures after unless told otherwise. */
export const CURRENT_HISTORY_VERSION = 'v1';

/** The lifecycle paths recorded from workflow version v1; each must stay replayable for ever. */
export const V1_PATHS = [
  'joint-adopted',
  'rejected',
  'revision-round',
  'withdrawn',
  'reminder-escalation-expiry',
  'revision-expiry',
  'consultation-wait',
  'bundesrat-cabinet',
  'concurrent-decisions',
  'rejected-updates',
] as const;
export type V1Path = (typeof V1_PATHS)[number];

export const historyFileName = (version: string, path: string) => `${version}-${path}.json`;

/** Every fixture file, sorted, as names relative to HISTORIES_DIR. */
export function historyFiles(): string[] {
  return readdirSync(HISTORIES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** A fixture by file name, ready for `Worker.runReplayHistory`. */
export function loadHistory(fileName: string): History {
  return historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, fileName), 'utf8')));
}
