/**
 * An API client that behaves as docs/api.md asks clients to: every command carries an Idempotency-Key, and an
 * unknown outcome — a 503, a broken connection, or 409 "still running" for a key whose first request is
 * still held — is retried with the same key, honouring Retry-After (bounded), on the next API process.
 * It counts what happened, and it registers the commands in flight so that a fault can hit one of them.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface Counters {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Commands answered 2xx in the end. */
  acknowledged: number;
  /** Commands that ended without a 2xx (must be 0 in these tests: every command is valid). */
  refused: number;
  unavailable503: number;
  /** 409 "a request with this Idempotency-Key is still running" (the first holder died or is slow). */
  inProgress409: number;
  connectionErrors: number;
  /** Answers 500 or any other 5xx but 503: must stay 0 (outages are 503). */
  serverErrors: number;
  /** Requests sent again with the same key after one of the above. */
  retries: number;
  /** Commands that needed at least one retry and then were acknowledged. */
  acknowledgedAfterRetry: number;
}

export const newCounters = (): Counters => ({
  requests: 0,
  acknowledged: 0,
  refused: 0,
  unavailable503: 0,
  inProgress409: 0,
  connectionErrors: 0,
  serverErrors: 0,
  retries: 0,
  acknowledgedAfterRetry: 0,
});

export interface Actor {
  token: string;
  sub: string;
}

/** One command as the client saw it: every attempt's status (0 = no answer) and the final answer. */
export interface CommandRecord<T = unknown> {
  label: string;
  path: string;
  key: string;
  statuses: number[];
  status: number;
  body: T;
}

export const isAcknowledged = (command: { status: number }) => command.status >= 200 && command.status < 300;

/** A command in flight: which API process holds it, and its idempotency scope as the API stores it. */
export interface InFlight {
  api: number;
  scope: string;
}

export interface ClientOptions {
  /** Longest wait for one Retry-After. */
  maxRetryAfterMs?: number;
  /** After this long a command is given up (and reported). */
  commandDeadlineMs?: number;
}

/** Called with the status and Retry-After of the first HTTP answer a command gets (a refused connection is none). */
export type FirstAnswer = (status: number, retryAfter: string | null) => void;

/** docs/api.md: keys are scoped per (sub, method, path); the API names the row (and the Update) by this hash. */
const scopeOf = (sub: string, method: string, path: string, key: string) =>
  createHash('sha256').update([sub, method, path, key].join('\n')).digest('hex');

export class ResilientClient {
  readonly counters = newCounters();
  readonly inFlight = new Set<InFlight>();
  /** Commands acknowledged, by the index of the API process that answered. */
  readonly acknowledgedByApi: number[] = [];
  private next = 0;

  constructor(
    private readonly apiUrls: () => string[],
    private readonly options: ClientOptions = {},
  ) {}

  /** Round robin over the API processes, so that load and faults spread over all of them. */
  private pickApi(): number {
    const count = this.apiUrls().length;
    this.next = (this.next + 1) % count;
    return this.next;
  }

  private async send(
    api: number,
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    key?: string,
  ) {
    const url = this.apiUrls()[api];
    this.counters.requests += 1;
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(90_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (text ? JSON.parse(text) : undefined) as unknown,
    };
  }

  /** A POST with a fresh Idempotency-Key, retried until it has a definite answer. */
  async command<T>(
    label: string,
    actor: Actor,
    path: string,
    body: unknown,
    onFirstAnswer?: FirstAnswer,
  ): Promise<CommandRecord<T>> {
    const key = randomUUID();
    const scope = scopeOf(actor.sub, 'POST', path, key);
    const deadline = Date.now() + (this.options.commandDeadlineMs ?? 240_000);
    const statuses: number[] = [];
    for (;;) {
      const api = this.pickApi();
      const flight = { api, scope };
      this.inFlight.add(flight);
      let answer: Awaited<ReturnType<ResilientClient['send']>> | undefined;
      try {
        answer = await this.send(api, 'POST', path, actor.token, body, key);
      } catch {
        this.counters.connectionErrors += 1;
      } finally {
        this.inFlight.delete(flight);
      }
      statuses.push(answer?.status ?? 0);
      if (answer && statuses.filter(Boolean).length === 1) onFirstAnswer?.(answer.status, answer.retryAfter);
      const retryIn = answer ? this.retryDelay(answer) : 200;
      if (retryIn === undefined || Date.now() > deadline) {
        const status = answer?.status ?? 0;
        const acknowledged = isAcknowledged({ status });
        if (acknowledged) {
          this.counters.acknowledged += 1;
          this.acknowledgedByApi[api] = (this.acknowledgedByApi[api] ?? 0) + 1;
        } else this.counters.refused += 1;
        if (acknowledged && statuses.length > 1) this.counters.acknowledgedAfterRetry += 1;
        return { label, path, key, statuses, status, body: answer?.body as T };
      }
      this.counters.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, retryIn));
    }
  }

  /** Milliseconds until the retry, or undefined when the answer is definite. */
  private retryDelay(answer: {
    status: number;
    retryAfter: string | null;
    body: unknown;
  }): number | undefined {
    const retryAfterMs = Math.min(
      Number(answer.retryAfter ?? 1) * 1000 || 1000,
      this.options.maxRetryAfterMs ?? 5000,
    );
    if (answer.status === 503) {
      this.counters.unavailable503 += 1;
      return retryAfterMs;
    }
    // Only the idempotency 409 carries Retry-After; a 409 about the initiative's state is definite.
    if (answer.status === 409 && answer.retryAfter !== null) {
      this.counters.inProgress409 += 1;
      return retryAfterMs;
    }
    if (answer.status >= 500) this.counters.serverErrors += 1;
    return undefined;
  }

  /** One request to API `api`, not retried: what a client sees at this moment (status 0: no answer). */
  async once(api: number, actor: Actor | undefined, path: string) {
    try {
      return await this.send(api, 'GET', path, actor?.token);
    } catch {
      return { status: 0, retryAfter: null, body: undefined };
    }
  }

  /** A GET, retried like a command (a read has no outcome to lose). */
  async get<T>(actor: Actor, path: string): Promise<{ status: number; body: T }> {
    const deadline = Date.now() + (this.options.commandDeadlineMs ?? 240_000);
    for (;;) {
      let answer: Awaited<ReturnType<ResilientClient['send']>> | undefined;
      try {
        answer = await this.send(this.pickApi(), 'GET', path, actor.token);
      } catch {
        this.counters.connectionErrors += 1;
      }
      const retryIn = answer ? this.retryDelay(answer) : 200;
      if (answer && (retryIn === undefined || Date.now() > deadline))
        return { status: answer.status, body: answer.body as T };
      if (Date.now() > deadline) throw new Error(`GET ${path}: no answer before the deadline`);
      this.counters.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, retryIn ?? 200));
    }
  }
}
