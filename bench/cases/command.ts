/**
 * Case 4, command latency: a review decision through the API (authenticate, read, authorise, Workflow
 * Update, deadline bookkeeping, persistChange writing the read model, inbox and audit trail in one
 * transaction, answer), one at a time on initiatives created beforehand; the first `warmup` are discarded.
 * Reference: the minimal baseline workflow's review Update through the client, one at a time, on the same
 * server (what Temporal alone costs per command).
 */
import { baselineReview } from '../baseline/workflow.js';
import type { BenchContext } from '../context.js';
import { pool, summarize, type HttpClient, type LatencySummary } from '../http.js';
import type { Initiative } from '../../workflows/contracts.js';
import { newInitiative, startBaseline, withClient } from './lifecycle.js';

export async function runCommand(context: BenchContext, http: HttpClient): Promise<LatencySummary> {
  const { count, warmup } = context.config.command;
  const { tokens } = context;
  const ids = await pool(
    Array.from({ length: count + warmup }, (_, n) => n),
    10,
    async (n) => {
      const created = await http.post<Initiative>(
        '/v1/initiatives',
        tokens.proposerBY,
        newInitiative(100_000 + n),
      );
      if (created.status !== 201)
        throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body.id;
    },
  );
  const latencies: number[] = [];
  for (const [n, id] of ids.entries()) {
    const response = await http.post<Initiative>(`/v1/initiatives/${id}/reviews`, tokens.reviewerNW, {
      decision: 'approve',
    });
    if (response.status !== 200 || response.body.version !== 2)
      throw new Error(`review of ${id}: ${response.status} ${JSON.stringify(response.body)}`);
    if (n >= warmup) latencies.push(response.ms);
  }
  return summarize(latencies);
}

/** The minimal workflow's review Update, one at a time (the baseline worker must be running). */
export function baselineCommand(context: BenchContext): Promise<LatencySummary> {
  const { count, warmup } = context.config.command;
  return withClient(context, async (client) => {
    const handles = await pool(
      Array.from({ length: count + warmup }, (_, n) => n),
      10,
      (n) => startBaseline(context, client, `baseline-command-${context.config.runId}-${n}`),
    );
    const latencies: number[] = [];
    for (const [n, handle] of handles.entries()) {
      const started = performance.now();
      await handle.executeUpdate(baselineReview, { args: [{ land: 'NW' }] });
      if (n >= warmup) latencies.push(performance.now() - started);
    }
    return summarize(latencies);
  });
}
