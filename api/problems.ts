/**
 * RFC 9457 problem details. Handlers throw `HttpProblem`; the app's error handler turns it, validation
 * errors and dependency outages into `application/problem+json`, never leaking stacks or SQL.
 */
import { FailureType } from '../workflows/contracts.js';

export interface FieldError {
  path: string;
  message: string;
}

const titles: Record<number, string> = {
  400: 'Invalid input',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict with the current state',
  412: 'Version mismatch',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Idempotency key reused with a different body',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'A dependency is unavailable',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Seconds, for 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(detail);
  }

  /** `requestId` names the request that was refused (X-Request-Id), for support and the logs. */
  body(instance?: string, requestId?: string) {
    return {
      type: `https://digital-dialog.example/problems/${this.status}`,
      title: titles[this.status] ?? 'Error',
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(requestId ? { requestId } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpProblem(400, detail, errors);
export const notFound = (detail = 'No such initiative, or not visible to you.') =>
  new HttpProblem(404, detail);
export const forbidden = (detail: string) => new HttpProblem(403, detail);
export const conflict = (detail: string) => new HttpProblem(409, detail);
const DEPENDENCY_NAMES = { database: 'The database', Temporal: 'Temporal' } as const;
export const unavailable = (dependency: keyof typeof DEPENDENCY_NAMES, retryAfter = 5) =>
  new HttpProblem(
    503,
    `${DEPENDENCY_NAMES[dependency]} is unavailable; retry with the same Idempotency-Key.`,
    undefined,
    retryAfter,
  );

/** The one map from the workflow's failure types to HTTP statuses. */
const STATUS_OF_FAILURE: Record<FailureType, number> = {
  [FailureType.Conflict]: 409,
  [FailureType.Forbidden]: 403,
  [FailureType.PreconditionFailed]: 412,
  [FailureType.InvalidInput]: 400,
};

/** A refusal of the workflow (or of a catalogue entry's checks) as a problem; undefined for unknown types. */
export function problemOfFailure(
  type: string,
  message: string,
  errors?: FieldError[],
): HttpProblem | undefined {
  const status = STATUS_OF_FAILURE[type as FailureType] as number | undefined;
  return status === undefined ? undefined : new HttpProblem(status, message, errors);
}
