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
export const CURRENT_HISTORY_VERSION: HistoryVersion = 'v7';

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

/**
 * The lifecycle paths recorded from workflow version v2, which added the Bundesrat stage: invitations as a
 * command and their answers, cabinet decisions, submission, referral, plenary decisions and postponements,
 * accession, booking after a calendar extension, and the liaison's reminder.
 */
export const V2_PATHS = [
  'invitation-joined',
  'invitation-declined',
  'cabinet-partner-decline',
  'cabinet-joined-decline',
  'bundesrat-committee-adopted',
  'bundesrat-immediate-rejected',
  'calendar-end-rebooked',
] as const;
export type V2Path = (typeof V2_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v3, which added webhook notifications behind the
 * `webhook-notifications` patch: an initiative workflow whose persisted changes start abandoned child
 * notification workflows, and one such notification workflow whose delivery activity failed once and was
 * retried (the receiver answered 500, then 200).
 */
export const V3_PATHS = ['webhook-joint-adopted', 'webhook-notification-retried'] as const;
export type V3Path = (typeof V3_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v4 (issue 19), behind the `fidelity-rules` patch: a
 * withdrawal that closes a pending invitation, the liaison's reminder started by the referral, and a
 * deadline extension (the `extendDeadline` update and its deadline computation with `until`).
 */
export const V4_PATHS = [
  'withdrawn-invitation-closed',
  'bundesrat-reminder-after-referral',
  'deadline-extended',
] as const;
export type V4Path = (typeof V4_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v7 (issue 17), which added the lead Ressort behind the
 * `ressorts-lead-ressort` patch: a colleague of the lead Ressort revises, the reviser is kept out of the
 * next round's review (four-eyes over every version's author), and the initiative is adopted.
 */
export const V7_PATHS = ['ressort-colleague-revises'] as const;
export type V7Path = (typeof V7_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v6, which added motion texts behind the
 * `texts-versions` patch (docs/texts.md): a motion created with its text, a review bound to version 1 with
 * a remark, a revision bringing version 2, approvals bound to it; and a joint project without a text that
 * gets its first text from a revision.
 */
export const V6_PATHS = ['texts-motion-revised', 'texts-joint-first-text'] as const;
export type V6Path = (typeof V6_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v10, which added attachments behind the
 * `texts-attachments` patch (docs/texts.md): a motion whose reviewer and proposer attach documents (the
 * same bytes twice), the reviewer withdraws theirs, and both Länder approve.
 */
export const V10_PATHS = ['texts-attachments'] as const;
export type V10Path = (typeof V10_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v8 (issue 15), which added channel `laenderkreis` and
 * its `conference` stage behind the `laenderkreis-conference-stage` patch: consultation with an invited
 * Land, registration on a past session (the liaison's reminder fires), a co-applicant, a postponement and
 * an adoption with votes; and a postponement past the calendar's end, the booking after the admin extended
 * it (the `bookConferenceSession` update) and a rejection.
 */
export const V8_PATHS = ['laenderkreis-postponed-adopted', 'laenderkreis-calendar-rebooked'] as const;
export type V8Path = (typeof V8_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v9 (issue 19): behind `fidelity-bundesrat` a committee
 * recommendation with an adjournment, an urgent bill adopted with changes and its decision number, its
 * follow-up (forwarding deadline from receipt); behind `fidelity-corrections` corrections after adoption;
 * behind `fidelity-after-close` the run that stays open after its terminal phase; and a chosen session with
 * an immediate motion referred after all.
 */
export const V9_PATHS = ['bundesrat-corrected-after-adoption', 'bundesrat-immediate-referred'] as const;
export type V9Path = (typeof V9_PATHS)[number];

/**
 * The lifecycle paths recorded from workflow version v12 (issue 18), which added an initiative's origins
 * behind the `platform-origins` patch: an initiative started from a format and based on a practice
 * (`originFormat`, `basedOn`), adopted.
 */
export const V12_PATHS = ['origins-format-practice'] as const;
export type V12Path = (typeof V12_PATHS)[number];

/** Every lifecycle path by the workflow version whose fixtures must hold it. */
export const HISTORY_PATHS = {
  v1: V1_PATHS,
  v2: V2_PATHS,
  v3: V3_PATHS,
  v4: V4_PATHS,
  v6: V6_PATHS,
  v7: V7_PATHS,
  v10: V10_PATHS,
  v8: V8_PATHS,
  v9: V9_PATHS,
  v12: V12_PATHS,
} as const;
export type HistoryVersion = keyof typeof HISTORY_PATHS;
export type HistoryPath = (typeof HISTORY_PATHS)[HistoryVersion][number];
export const isHistoryVersion = (version: string): version is HistoryVersion =>
  Object.hasOwn(HISTORY_PATHS, version);

export const historyFileName = (version: string, path: string) => `${version}-${path}.json`;

/** Every fixture file, sorted, as names relative to HISTORIES_DIR. */
export function historyFiles(): string[] {
  return readdirSync(HISTORIES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** A fixture by file name (in HISTORIES_DIR unless `dir` says otherwise), ready for `Worker.runReplayHistory`. */
export function loadHistory(fileName: string, dir = HISTORIES_DIR): History {
  return historyFromJSON(JSON.parse(readFileSync(join(dir, fileName), 'utf8')));
}
