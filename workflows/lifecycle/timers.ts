/**
 * Deadlines and what happens when they pass: computed deadlines are recorded on the state, `nextTimer`
 * names the earliest one the workflow waits for, `applyTimer` reminds, escalates or expires.
 */
import type { Deadline, DeadlineRequest, LifecycleState } from '../contracts.js';
import { SYSTEM_ACTOR } from '../contracts.js';
import { change, type ComputedDeadline, type Transition } from './frame.js';
import { pendingActions } from './pending-actions.js';
import { advanceAfterApproval, dropDeadlines, finish } from './state.js';

/** Records computed deadlines on the state; requests answered after the phase moved on are dropped. */
export function applyDeadlines(
  state: LifecycleState,
  requests: DeadlineRequest[],
  computed: ComputedDeadline[],
  requestedInRevision: number,
): void {
  const { initiative } = state;
  requests.forEach((request, index) => {
    const result = computed[index];
    if (!result) return;
    const deadline: Deadline = {
      kind: request.kind,
      land: request.land,
      reminded: false,
      escalated: false,
      ...result,
    };
    if (request.kind === 'review') {
      const review = initiative.reviews.find((r) => r.land === request.land);
      if (
        initiative.phase !== 'review' ||
        initiative.revision !== requestedInRevision ||
        review?.status !== 'pending'
      )
        return;
      review.dueAt = result.dueAt;
    } else if (request.kind === 'revision') {
      if (initiative.phase !== 'revision') return;
    } else if (request.kind === 'plenary') {
      const session = initiative.bundesrat?.plenarySession;
      if (initiative.phase !== 'bundesrat' || !session || !request.from?.startsWith(session.date)) return;
    } else if (request.kind === 'conference') {
      const session = initiative.conference?.session;
      if (initiative.phase !== 'conference' || !session || !request.from?.startsWith(session.date)) return;
    } else {
      const invitation = initiative.invitations.find((i) => i.land === request.land);
      if (invitation?.status !== 'pending') return;
      invitation.dueAt = result.dueAt;
    }
    dropDeadlines(state, request.kind, request.land);
    state.deadlines.push(deadline);
    // An extended deadline clears `overdue` unless another review is still past its deadline.
    if (request.until !== undefined) initiative.overdue = state.deadlines.some((d) => d.escalated);
  });
  initiative.pendingActions = pendingActions(state);
}

export type TimerKind = 'remind' | 'escalate' | 'expire';
export interface DueTimer {
  at: string;
  kind: TimerKind;
  deadline: Deadline;
}

/** The earliest timer the workflow has to wait for, if any. */
export function nextTimer(state: LifecycleState): DueTimer | undefined {
  let next: DueTimer | undefined;
  const consider = (at: string | undefined, kind: TimerKind, deadline: Deadline) => {
    if (at !== undefined && (next === undefined || Date.parse(at) < Date.parse(next.at)))
      next = { at, kind, deadline };
  };
  for (const deadline of state.deadlines) {
    if (deadline.kind === 'review') {
      if (!deadline.reminded) consider(deadline.remindAt, 'remind', deadline);
      if (!deadline.escalated) consider(deadline.dueAt, 'escalate', deadline);
      else consider(deadline.expireAt, 'expire', deadline);
    } else if (deadline.kind === 'plenary' || deadline.kind === 'conference') {
      if (!deadline.reminded) consider(deadline.dueAt, 'remind', deadline);
    } else {
      consider(deadline.dueAt, 'expire', deadline);
    }
  }
  return next;
}

export function applyTimer(state: LifecycleState, timer: DueTimer, now: string): Transition {
  return change(state, now, (c) => {
    const { deadline } = timer;
    const { initiative } = state;
    const data = { land: deadline.land, dueAt: deadline.dueAt };
    if (timer.kind === 'remind') {
      deadline.reminded = true;
      if (deadline.kind === 'plenary')
        c.emit('bundesrat_decision_reminder', SYSTEM_ACTOR, {
          ...data,
          plenarySession: initiative.bundesrat?.plenarySession ?? null,
        });
      else if (deadline.kind === 'conference')
        c.emit('conference_decision_reminder', SYSTEM_ACTOR, {
          ...data,
          conference: initiative.conference?.key,
          session: initiative.conference?.session ?? null,
        });
      else c.emit('review_reminder', SYSTEM_ACTOR, data);
    } else if (timer.kind === 'escalate') {
      deadline.reminded = true;
      deadline.escalated = true;
      initiative.overdue = true;
      c.emit('review_escalated', SYSTEM_ACTOR, { ...data, expiresAt: deadline.expireAt });
    } else if (deadline.kind === 'invitation') {
      const invitation = initiative.invitations.find((i) => i.land === deadline.land);
      const participant = initiative.participants.find((p) => p.land === deadline.land);
      if (invitation) {
        invitation.status = 'no_response';
        delete invitation.dueAt;
      }
      if (participant) participant.role = 'no_response';
      dropDeadlines(state, 'invitation', deadline.land);
      c.emit('invitation_no_response', SYSTEM_ACTOR, data);
      if (initiative.phase === 'consultation') advanceAfterApproval(c, SYSTEM_ACTOR);
    } else {
      c.emit('expired', SYSTEM_ACTOR, { ...data, kind: deadline.kind });
      finish(c, 'expired', `${deadline.kind}_deadline`, SYSTEM_ACTOR);
    }
  });
}
