/**
 * The lifecycle's shared moves: the first state, entering a phase, finishing, and what follows a joint
 * approval. Commands (review.ts, participation.ts, bundesrat.ts) and timers (timers.ts) build on them.
 */
import type {
  ActingPrincipal,
  Actor,
  Deadline,
  DeadlineRequest,
  InitiativeInput,
  LifecycleState,
  Outcome,
} from '../contracts.js';
import { FailureType } from '../contracts.js';
import { PARTNERS, isTerminal, type Land, type Phase } from '../domain.js';
import { Rejection, change, type Change, type Transition } from './frame.js';
import { enterConference } from '../conference-stage.js';

/** A review round: one deadline per partner. */
export function reviewRound(state: LifecycleState): DeadlineRequest[] {
  const { periods } = state.initiative;
  return PARTNERS.map((land) => ({
    kind: 'review',
    land,
    period: periods.review,
    reminderBefore: periods.reminderBefore,
    escalationGrace: periods.escalationGrace,
  }));
}

export function createState(
  input: InitiativeInput,
  now: string,
): { state: LifecycleState; transition: Transition } {
  const invited = [...new Set(input.invite)];
  // What the proposer wrote: the resource's first content and the creation event's record of it.
  const { title, summary, topic, channel, instrument, ressort } = input;
  const described = { title, summary, topic, channel, instrument, ressort };
  const state: LifecycleState = {
    initiative: {
      id: input.id,
      ...described,
      leadRessort: input.leadRessort ?? null,
      authors: [{ sub: input.proposer.sub, name: input.proposer.name }],
      leadLand: input.proposer.land,
      proposer: input.proposer,
      phase: 'review',
      revision: 1,
      overdue: false,
      reviews: PARTNERS.map((land) => ({ land, status: 'pending' })),
      invitations: invited.map((land) => ({ land, status: 'pending', invitedAt: now })),
      participants: [
        ...PARTNERS.map((land) => ({ land, role: 'partner' as const })),
        ...invited.map((land) => ({ land, role: 'invited' as const })),
      ],
      cabinetDecisions: [],
      bundesrat: null,
      ...(input.conference ? { conference: null } : {}),
      pendingActions: [],
      outcome: null,
      periods: input.periods,
      text: input.text ? { version: 1, ...input.text, updatedAt: now } : null,
      ...(input.originFormat === undefined ? {} : { originFormat: input.originFormat }),
      ...(input.basedOn?.length ? { basedOn: input.basedOn } : {}),
      createdAt: now,
      updatedAt: now,
      version: 0,
    },
    deadlines: [],
    auditSeq: 0,
    ...(input.conference ? { conferenceSetup: input.conference } : {}),
  };
  const transition = change(state, now, (c) => {
    const proposer: ActingPrincipal = { ...input.proposer, role: 'proposer' };
    c.emit('initiative_created', proposer, {
      ...described,
      ...(input.leadRessort ? { leadRessort: input.leadRessort } : {}),
      ...(input.conference
        ? { conference: input.conference.key, motionKind: input.conference.motionKind }
        : {}),
      invite: invited,
      periods: input.periods,
      // The audit chain proves which text was proposed (docs/texts.md).
      ...(input.text ? { text: { version: 1, hash: input.text.hash } } : {}),
      // Where it came from (docs/formats.md, docs/practices.md): only when named.
      ...(input.originFormat === undefined ? {} : { originFormat: input.originFormat }),
      ...(input.basedOn?.length ? { basedOn: input.basedOn } : {}),
    });
    c.deadlineRequests.push(
      ...reviewRound(state),
      ...invited.map((land) => ({ kind: 'invitation' as const, land, period: input.periods.invitation })),
    );
  });
  return { state, transition };
}

/** A closed initiative refuses everything; an `If-Match` naming another version is a failed precondition. */
export function checkOpen(state: LifecycleState, expectedVersion?: number): Rejection | undefined {
  const { phase } = state.initiative;
  if (isTerminal(phase))
    return new Rejection(FailureType.Conflict, `The initiative is ${phase}; nothing changes any more.`);
  return checkVersion(state, expectedVersion);
}

/** An `If-Match` naming another version is a failed precondition (commands accepted on closed initiatives). */
export function checkVersion(state: LifecycleState, expectedVersion?: number): Rejection | undefined {
  const { version } = state.initiative;
  if (expectedVersion !== undefined && expectedVersion !== version)
    return new Rejection(
      FailureType.PreconditionFailed,
      `If-Match names version ${expectedVersion}, the initiative is at version ${version}.`,
    );
  return undefined;
}

/** A command of one phase: refused as closed, or as out of phase with `what`'s wording. */
export function checkPhase(state: LifecycleState, phase: Phase, what: string): Rejection | undefined {
  const current = state.initiative.phase;
  if (isTerminal(current)) return checkOpen(state);
  if (current !== phase)
    return new Rejection(FailureType.Conflict, `${what} in phase ${phase}; the initiative is in ${current}.`);
  return undefined;
}

export function enterPhase(c: Change, to: Phase, actor: Actor, reason?: string): void {
  const from = c.state.initiative.phase;
  c.state.initiative.phase = to;
  c.emit('phase_changed', actor, reason === undefined ? { from, to } : { from, to, reason });
}

export function finish(c: Change, result: Outcome['result'], reason: string, actor: Actor): void {
  const { state, now } = c;
  enterPhase(c, result, actor, reason);
  state.initiative.outcome = { result, reason, at: now };
  state.initiative.overdue = false;
  state.deadlines = [];
  for (const review of state.initiative.reviews) delete review.dueAt;
  for (const invitation of state.initiative.invitations) delete invitation.dueAt;
  if (!state.legacy) closeInvitations(state);
}

/** On a terminal phase no invitation stays open: every pending one becomes `no_response`. */
function closeInvitations(state: LifecycleState): void {
  const { initiative } = state;
  for (const invitation of initiative.invitations) {
    if (invitation.status !== 'pending') continue;
    invitation.status = 'no_response';
    const participant = initiative.participants.find((p) => p.land === invitation.land);
    if (participant?.role === 'invited') participant.role = 'no_response';
  }
}

/** After joint approval: wait for open invitations, else the channel's next stage. */
export function advanceAfterApproval(c: Change, actor: Actor): void {
  const { initiative } = c.state;
  if (initiative.invitations.some((i) => i.status === 'pending')) {
    if (initiative.phase !== 'consultation') enterPhase(c, 'consultation', actor);
    return;
  }
  if (initiative.channel === 'joint') {
    finish(c, 'adopted', 'joint_approval', actor);
    return;
  }
  if (initiative.channel === 'laenderkreis') {
    enterConference(c, actor);
    return;
  }
  const applicants: Land[] = initiative.participants
    .filter((p) => p.role === 'partner' || p.role === 'joined')
    .map((p) => p.land);
  initiative.cabinetDecisions = applicants.map((land) => ({ land, status: 'pending' }));
  initiative.bundesrat = { applicants, status: 'preparing', plenarySession: null, postponements: 0 };
  enterPhase(c, 'cabinet', actor);
}

export function dropDeadlines(state: LifecycleState, kind: Deadline['kind'], land?: Land): void {
  state.deadlines = state.deadlines.filter((d) => d.kind !== kind || (land !== undefined && d.land !== land));
}
