/**
 * The one frame every change of the lifecycle runs in: it collects the audit events and the deadlines to
 * compute, and closes the change by bumping the version, stamping the time and deriving the pending
 * actions. No I/O and no clock: the caller passes `now`, so the same inputs always give the same state.
 */
import type {
  Actor,
  AuditEventDraft,
  AuditEventType,
  DeadlineRequest,
  LifecycleState,
} from '../contracts.js';
import type { FailureType } from '../contracts.js';
import { pendingActions } from './pending-actions.js';

/**
 * Why a command does not fit; the workflow raises it as an ApplicationFailure of `type`, the API (when a
 * catalogue entry's `payload` throws it) as the problem the type maps to.
 */
export class Rejection extends Error {
  constructor(
    readonly type: FailureType,
    message: string,
    /** Field errors for a 400 (`errors` of the problem), where the API can name them. */
    readonly errors?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

/** What one change produced besides the new state. */
export interface Transition {
  events: AuditEventDraft[];
  deadlineRequests: DeadlineRequest[];
}

/** What the deadline activity answered for one request, in request order. */
export interface ComputedDeadline {
  dueAt: string;
  remindAt?: string;
  expireAt?: string;
}

/** A change in progress: the state it mutates, its time, and what it has produced so far. */
export interface Change extends Transition {
  readonly state: LifecycleState;
  readonly now: string;
  emit(type: AuditEventType, actor: Actor, data: Record<string, unknown>): void;
}

/** Runs `body` as one change of `state` at `now` and closes it. */
export function change(state: LifecycleState, now: string, body: (change: Change) => void): Transition {
  const events: AuditEventDraft[] = [];
  const deadlineRequests: DeadlineRequest[] = [];
  body({
    state,
    now,
    events,
    deadlineRequests,
    emit(type, actor, data) {
      state.auditSeq += 1;
      events.push({ seq: state.auditSeq, at: now, type, actor, data });
    },
  });
  state.initiative.version += 1;
  state.initiative.updatedAt = now;
  state.initiative.pendingActions = pendingActions(state);
  return { events, deadlineRequests };
}
