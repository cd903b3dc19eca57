/**
 * Case 2, lists: filtered list queries and the inbox through the API, each for a fixed time after a
 * warm-up, one request after another per connection (BENCH_LIST_CONNECTIONS, default 1), timed with
 * sub-millisecond resolution. Run once per database size; the report compares the two p99s.
 */
import type { Principal } from '../../test/kit/principals.js';
import type { BenchContext } from '../context.js';
import { closedLoop, summarize, type HttpClient, type LatencySummary } from '../http.js';
import { QUANTUM } from '../seed.js';

export interface ListQueryDefinition {
  name: string;
  path: string;
  as: Principal;
}

export const LIST_QUERIES: ListQueryDefinition[] = [
  { name: 'list, newest first', path: '/v1/initiatives', as: 'viewer' },
  { name: 'list ?phase=review', path: '/v1/initiatives?phase=review', as: 'reviewerBY' },
  { name: 'list ?topic&channel', path: '/v1/initiatives?topic=ehealth&channel=bundesrat', as: 'viewer' },
  { name: 'list ?land=HE', path: '/v1/initiatives?land=HE', as: 'viewer' },
  { name: 'list ?overdue=true', path: '/v1/initiatives?overdue=true', as: 'viewer' },
  { name: `list ?q=${QUANTUM}`, path: `/v1/initiatives?q=${QUANTUM}`, as: 'reviewerBY' },
  { name: 'inbox, BY reviewer', path: '/v1/tasks', as: 'reviewerBY' },
  { name: 'inbox, HE reviewer', path: '/v1/tasks', as: 'reviewerHE' },
];

export interface ListMeasurement extends LatencySummary {
  name: string;
  path: string;
  as: string;
  /** Items in one answer (a page of at most 20, or the whole inbox). */
  items: number;
}

/** Measures each of `queries` (default: the lists and the inbox); `label` names the case in the log. */
export async function runLists(
  context: BenchContext,
  http: HttpClient,
  size: number,
  queries: ListQueryDefinition[] = LIST_QUERIES,
  label = 'lists',
): Promise<ListMeasurement[]> {
  const { lists } = context.config;
  const results: ListMeasurement[] = [];
  for (const query of queries) {
    const token = context.tokens[query.as];
    const send = () => http.get(query.path, token);
    const first = await http.get<{ items: unknown[] }>(query.path, token);
    if (first.status !== 200) throw new Error(`${query.path}: ${first.status} ${JSON.stringify(first.body)}`);
    await closedLoop(lists.connections, lists.warmupSeconds, send);
    const latencies = await closedLoop(lists.connections, lists.durationSeconds, send);
    const summary = summarize(latencies);
    context.log(
      `  ${label} @${size}: ${query.name} → ${first.body.items.length} items, p50 ${summary.p50} ms, p99 ${summary.p99} ms`,
    );
    results.push({
      name: query.name,
      path: query.path,
      as: query.as,
      items: first.body.items.length,
      ...summary,
    });
  }
  return results;
}
