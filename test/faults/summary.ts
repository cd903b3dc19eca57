/**
 * The figures a fault run ends with — printed as a table and merged into test/artifacts/faults-summary.json
 * under the run's name (the fault suite and the scale-out test each write their own entry).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Counters } from './client.js';
import { artifactsDir } from './cluster.js';
import type { Crash } from './service-process.js';
import type { FaultRecord } from './faults.js';
import { totalDuplicated, totalLost, type Verification } from './verify.js';

export interface FaultSummary {
  run: string;
  finishedAt: string;
  durationSeconds: number;
  processes: { apis: number; workers: number; clients: number };
  /** Initiatives driven through the API (the batch plus the creates sent during outages). */
  initiatives: number;
  /** Fewest initiatives created but not finished when a fault hit. */
  minInFlightAtFault: number;
  faults: Record<string, number>;
  commands: Counters;
  verification: Verification;
  lost: number;
  duplicated: number;
  crashes: Record<string, Crash[]>;
  extra?: Record<string, unknown>;
}

export function summarize(
  run: string,
  started: number,
  processes: FaultSummary['processes'],
  faults: FaultRecord[],
  commands: Counters,
  verification: Verification,
  crashes: Record<string, Crash[]>,
  extra?: Record<string, unknown>,
): FaultSummary {
  const byKind: Record<string, number> = {};
  for (const fault of faults) byKind[fault.kind] = (byKind[fault.kind] ?? 0) + 1;
  return {
    run,
    finishedAt: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    processes,
    initiatives: verification.initiatives,
    minInFlightAtFault: Math.min(...faults.map((fault) => fault.inFlight)),
    faults: byKind,
    commands,
    verification,
    lost: totalLost(verification),
    duplicated: totalDuplicated(verification),
    crashes,
    ...(extra ? { extra } : {}),
  };
}

/** Prints the figures and merges them into test/artifacts/faults-summary.json. */
export function report(summary: FaultSummary): void {
  const { commands: c, verification: v } = summary;
  const rows: [string, string | number][] = [
    [
      'initiatives driven (in flight during the faults: at least)',
      `${summary.initiatives} (${summary.minInFlightAtFault})`,
    ],
    [
      'processes: APIs / workers / concurrent clients',
      `${summary.processes.apis} / ${summary.processes.workers} / ${summary.processes.clients}`,
    ],
    ...Object.entries(summary.faults).map(([kind, count]): [string, number] => [`fault: ${kind}`, count]),
    ['commands acknowledged (2xx)', c.acknowledged],
    ['  of which after a retry with the same Idempotency-Key', c.acknowledgedAfterRetry],
    ['commands never acknowledged', c.refused],
    ['answers 503 (with Retry-After)', c.unavailable503],
    ['answers 409 "still running" (key held by a killed API)', c.inProgress409],
    ['connection errors', c.connectionErrors],
    ['retries (same Idempotency-Key)', c.retries],
    ['answers 5xx other than 503', c.serverErrors],
    ['audit chain', `${v.audit.ok ? 'intact' : 'BROKEN'}, ${v.audit.checked} events`],
    [
      'notifications expected / delivered / received (redelivered same id)',
      `${v.notifications.expected} / ${v.notifications.delivered} / ${v.notifications.received} (${v.notifications.redelivered})`,
    ],
    ['LOST (commands + notifications)', summary.lost],
    ['DUPLICATED (events + audit rows + notifications)', summary.duplicated],
    [
      'process crashes (not injected; restarted by the harness)',
      Object.entries(summary.crashes)
        .map(([name, crashes]) => `${name}: ${crashes.length}`)
        .join(', ') || 'none',
    ],
    ['duration', `${summary.durationSeconds} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(
    [`\n${summary.run}:`, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join('\n'),
  );
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, 'faults-summary.json');
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[summary.run] = summary;
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}
