/** The review round and the proposer's own commands: decide a review, submit a revision, withdraw. */
import type { ActingPrincipal, CommandBase, LifecycleState, Remark, TextRef } from '../contracts.js';
import { FailureType } from '../contracts.js';
import { PARTNERS } from '../domain.js';
import { Rejection, change, type Transition } from './frame.js';
import {
  advanceAfterApproval,
  checkOpen,
  checkPhase,
  dropDeadlines,
  enterPhase,
  finish,
  reviewRound,
} from './state.js';

export interface ReviewCommand extends CommandBase {
  decision: 'approve' | 'request_changes' | 'reject';
  comment?: string;
  /** The text version the reviewer read; refused (409) unless it is the current one. */
  textVersion?: number;
  remarks?: Remark[];
}
export interface RevisionCommand extends CommandBase {
  title?: string;
  summary?: string;
  comment: string;
  /** A new text, stored by the API: its hash, length and paragraph count. */
  text?: TextRef;
}
export interface WithdrawalCommand extends CommandBase {
  reason: string;
}

export function mayReview(state: LifecycleState, actor: ActingPrincipal): Rejection | undefined {
  const refused = checkPhase(state, 'review', 'Reviews are decided');
  if (refused) return refused;
  const review = state.initiative.reviews.find((r) => r.land === actor.land);
  if (!review) return new Rejection(FailureType.Forbidden, `${actor.land} does not review this initiative.`);
  if (review.status !== 'pending')
    return new Rejection(
      FailureType.Conflict,
      `${review.land} has already decided this round (${review.status}).`,
    );
  return undefined;
}

/** The review's text binding against the current text: the version read, the remarks' paragraphs. */
export function checkReviewText(state: LifecycleState, command: ReviewCommand): Rejection | undefined {
  const text = state.initiative.text;
  if (command.textVersion !== undefined && command.textVersion !== text?.version)
    return new Rejection(
      FailureType.Conflict,
      text
        ? `The text changed since you read it; version ${text.version} is current.`
        : 'This initiative has no text version to decide on.',
    );
  const paragraphs = text?.paragraphs ?? 0;
  const outside = (command.remarks ?? []).find((r) => r.paragraph > paragraphs);
  if (outside)
    return new Rejection(
      FailureType.InvalidInput,
      paragraphs === 0
        ? 'This initiative has no text to remark on.'
        : `Paragraph ${outside.paragraph} does not exist; the text has ${paragraphs}.`,
    );
  return undefined;
}

export function applyReview(state: LifecycleState, command: ReviewCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const { actor } = command;
    const review = initiative.reviews.find((r) => r.land === actor.land);
    if (!review) throw new Error(`no review for ${actor.land}`); // excluded by mayReview
    review.status =
      command.decision === 'approve'
        ? 'approved'
        : command.decision === 'reject'
          ? 'rejected'
          : 'changes_requested';
    review.by = { sub: actor.sub, name: actor.name };
    review.at = now;
    if (command.comment !== undefined) review.comment = command.comment;
    const text = initiative.text;
    const bound = text
      ? { textVersion: text.version, textHash: text.hash, remarks: command.remarks ?? [] }
      : undefined;
    if (bound) Object.assign(review, bound);
    delete review.dueAt;
    dropDeadlines(state, 'review', review.land);
    c.emit('review_decided', actor, {
      land: review.land,
      round: initiative.revision,
      decision: review.status,
      ...(command.comment === undefined ? {} : { comment: command.comment }),
      ...bound,
    });

    if (review.status === 'rejected') {
      finish(c, 'rejected', 'review', actor);
    } else if (initiative.reviews.every((r) => r.status !== 'pending')) {
      initiative.overdue = false;
      if (initiative.reviews.every((r) => r.status === 'approved')) {
        advanceAfterApproval(c, actor);
      } else {
        enterPhase(c, 'revision', actor);
        c.deadlineRequests.push({
          kind: 'revision',
          land: initiative.leadLand,
          period: initiative.periods.revision,
        });
      }
    }
  });
}

export const mayRevise = (state: LifecycleState): Rejection | undefined =>
  checkPhase(state, 'revision', 'Revisions are submitted');

export function applyRevision(state: LifecycleState, command: RevisionCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const changed: Record<string, string> = {};
    if (command.title !== undefined && command.title !== initiative.title)
      changed.title = initiative.title = command.title;
    if (command.summary !== undefined && command.summary !== initiative.summary)
      changed.summary = initiative.summary = command.summary;
    initiative.revision += 1;
    const authors = initiative.authors ?? [{ sub: initiative.proposer.sub, name: initiative.proposer.name }];
    if (!authors.some((author) => author.sub === command.actor.sub))
      authors.push({ sub: command.actor.sub, name: command.actor.name });
    initiative.authors = authors;
    let text: { version: number; hash: string } | undefined;
    if (command.text && command.text.hash !== initiative.text?.hash) {
      const version = (initiative.text?.version ?? 0) + 1;
      initiative.text = { version, ...command.text, updatedAt: now };
      text = { version, hash: command.text.hash };
    }
    initiative.overdue = false;
    initiative.reviews = PARTNERS.map((land) => ({ land, status: 'pending' }));
    dropDeadlines(state, 'revision');
    c.emit('revision_submitted', command.actor, {
      revision: initiative.revision,
      comment: command.comment,
      changed,
      ...(text ? { text } : {}),
    });
    enterPhase(c, 'review', command.actor);
    c.deadlineRequests.push(...reviewRound(state));
  });
}

/** Any open phase. */
export const mayWithdraw = (state: LifecycleState): Rejection | undefined => checkOpen(state);

export function applyWithdrawal(state: LifecycleState, command: WithdrawalCommand, now: string): Transition {
  return change(state, now, (c) => {
    c.emit('withdrawn', command.actor, { reason: command.reason });
    finish(c, 'withdrawn', command.reason, command.actor);
  });
}
