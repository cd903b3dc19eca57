/**
 * Deadline extensions (Fristverlängerung, docs/domain.md#deadline-extensions): the lead Land moves a pending
 * review's, answer's or revision's deadline to a later last day; the deadline activity computes the new end
 * (§ 193 BGB at the seat) and the timers follow it.
 */
import { addDays, lastDayOf } from '../../lib/dates.js';
import type { CommandBase, Deadline, LifecycleState } from '../contracts.js';
import { FailureType } from '../contracts.js';
import type { Land } from '../domain.js';
import { Rejection, change, type Transition } from './frame.js';
import { checkOpen } from './state.js';

export const EXTENDABLE_ACTIONS = ['review', 'respond', 'revise'] as const;
export type ExtendableAction = (typeof EXTENDABLE_ACTIONS)[number];

/** An extension reaches at most this many days beyond the current deadline's last day. */
export const MAX_EXTENSION_DAYS = 60;

export interface ExtensionCommand extends CommandBase {
  action: ExtendableAction;
  /** The Land whose review or answer is extended; a revision is the lead Land's. */
  land?: Land;
  /** The new last day of the period (`YYYY-MM-DD`). */
  until: string;
  reason: string;
}

const KIND: Record<ExtendableAction, Deadline['kind']> = {
  review: 'review',
  respond: 'invitation',
  revise: 'revision',
};

/** Whether `action` for `land` is pending now. */
function isPending(state: LifecycleState, action: ExtendableAction, land: Land): boolean {
  const { initiative } = state;
  switch (action) {
    case 'review':
      return (
        initiative.phase === 'review' &&
        initiative.reviews.some((r) => r.land === land && r.status === 'pending')
      );
    case 'revise':
      return initiative.phase === 'revision' && land === initiative.leadLand;
    case 'respond':
      return (
        ['review', 'revision', 'consultation'].includes(initiative.phase) &&
        initiative.invitations.some((i) => i.land === land && i.status === 'pending')
      );
  }
}

/** The deadline an extension moves, or why there is none. */
export function extendedDeadline(
  state: LifecycleState,
  command: Pick<ExtensionCommand, 'action' | 'land'>,
): Deadline | Rejection {
  const land = command.land ?? (command.action === 'revise' ? state.initiative.leadLand : undefined);
  if (land === undefined)
    return new Rejection(FailureType.InvalidInput, `An extension of ${command.action} names the Land.`);
  const deadline = state.deadlines.find((d) => d.kind === KIND[command.action] && d.land === land);
  if (!isPending(state, command.action, land) || !deadline)
    return new Rejection(
      FailureType.Conflict,
      `No ${command.action} of ${land} is pending with a deadline; only a pending action's deadline is extended.`,
    );
  return deadline;
}

/**
 * An open initiative with a pending review, answer or revision that has a deadline. Asked of the resource
 * alone (the allowed actions have no timer bookkeeping): its pending actions carry the deadlines.
 */
export function mayExtend(state: LifecycleState): Rejection | undefined {
  const refused = checkOpen(state);
  if (refused) return refused;
  const extendable = state.initiative.pendingActions.some(
    (a) => a.dueAt !== undefined && (EXTENDABLE_ACTIONS as readonly string[]).includes(a.action),
  );
  return extendable
    ? undefined
    : new Rejection(FailureType.Conflict, 'No review, answer or revision with a deadline is pending.');
}

/** The new last day must lie after the current one, and at most MAX_EXTENSION_DAYS beyond it (400). */
export function checkExtension(state: LifecycleState, command: ExtensionCommand): Rejection | undefined {
  const deadline = extendedDeadline(state, command);
  if (deadline instanceof Rejection) return deadline;
  const current = lastDayOf(deadline.dueAt);
  if (command.until <= current)
    return new Rejection(
      FailureType.InvalidInput,
      `until (${command.until}) must lie after the current deadline's last day, ${current}.`,
    );
  const latest = addDays(current, MAX_EXTENSION_DAYS);
  if (command.until > latest)
    return new Rejection(
      FailureType.InvalidInput,
      `until (${command.until}) lies more than ${MAX_EXTENSION_DAYS} days after the current deadline's last day, ${current} (at most ${latest}).`,
    );
  return undefined;
}

export function applyExtension(state: LifecycleState, command: ExtensionCommand, now: string): Transition {
  return change(state, now, (c) => {
    const deadline = extendedDeadline(state, command);
    if (deadline instanceof Rejection) throw deadline; // excluded by checkExtension
    const { periods } = state.initiative;
    const review = deadline.kind === 'review';
    c.deadlineRequests.push({
      kind: deadline.kind,
      land: deadline.land,
      period: review ? periods.review : deadline.kind === 'revision' ? periods.revision : periods.invitation,
      until: command.until,
      ...(review ? { reminderBefore: periods.reminderBefore, escalationGrace: periods.escalationGrace } : {}),
    });
    c.emit('deadline_extended', command.actor, {
      action: command.action,
      land: deadline.land,
      from: lastDayOf(deadline.dueAt),
      fromDueAt: deadline.dueAt,
      until: command.until,
      reason: command.reason,
    });
  });
}
