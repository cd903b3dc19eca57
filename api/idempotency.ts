/**
 * Runs a command under its `Idempotency-Key` (docs/api.md): the first request executes, a retry with the same
 * body gets the stored answer, a different body 422, a retry while the first still runs 409. The key also
 * names the Workflow Update, so Temporal itself deduplicates a command whose answer was lost.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { canonicalJson } from '../db/audit.js';
import type { Database } from '../db/client.js';
import type { IdempotencyStore } from '../db/idempotency.js';
import { HttpProblem, badRequest } from './problems.js';

/** How long a first request holds its key before a retry may take over (the holder may have died). */
const LEASE_SECONDS = 30;

export interface CommandResult<T> {
  status: number;
  body: T;
}

export interface Execution {
  /** Deterministic per key: the Workflow Update id (and, for creates, the start's dedupe). */
  updateId: string | undefined;
  initiativeId: string | null;
  /** A retry taking over from a request that died: its workflow may have been started already. */
  resumed: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function idempotent<T>(
  store: IdempotencyStore,
  request: FastifyRequest,
  run: (execution: Execution) => Promise<CommandResult<T>>,
  allocate?: (tx: Database) => Promise<string>,
  /** Refusals that outrank 422 in docs/api.md's precedence (409, 412), checked before a body mismatch is reported. */
  conflictBeforeMismatch?: () => void,
): Promise<CommandResult<T>> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return run({ updateId: undefined, initiativeId: null, resumed: false });
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 200 || !/^[\x21-\x7e]+$/.test(key))
    throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters.', [
      { path: 'headers/idempotency-key', message: 'must be 1 to 200 visible ASCII characters' },
    ]);
  const path = request.url.split('?')[0] ?? request.url;
  const scope = sha256([request.principal.sub, request.method, path, key].join('\n'));
  const requestHash = sha256(
    canonicalJson({ body: request.body ?? null, ifMatch: request.headers['if-match'] ?? null }),
  );

  const claim = await store.claim(scope, requestHash, LEASE_SECONDS, allocate);
  if (claim.kind === 'replay') return { status: claim.status, body: claim.body as T };
  if (claim.kind === 'mismatch') {
    conflictBeforeMismatch?.();
    throw new HttpProblem(
      422,
      'This Idempotency-Key was used with a different body; use a new key for a new request.',
    );
  }
  if (claim.kind === 'in_progress')
    throw new HttpProblem(
      409,
      'A request with this Idempotency-Key is still running; retry shortly.',
      undefined,
      1,
    );

  try {
    const result = await run({ updateId: scope, initiativeId: claim.initiativeId, resumed: claim.resumed });
    await store.complete(scope, result.status, result.body);
    return result;
  } catch (error) {
    // A definite refusal is an answer too: a retry must get the same one. An unknown outcome is not.
    if (error instanceof HttpProblem && error.status < 500) {
      await store.complete(scope, error.status, error.body(request.url, request.id));
    } else {
      await store.release(scope).catch(() => undefined);
    }
    throw error;
  }
}
