/**
 * The initiative lifecycle of domain.md as a pure state machine. Update validators call the `check*`
 * functions (a rejection keeps the command out of history); handlers and timers call the `apply*`
 * functions, which mutate the state in place and return the audit events and the deadlines to compute.
 * No I/O and no clock: the caller passes `now`, so the same inputs always give the same state.
 */
import type {
  AccessionCommand,
  ActingPrincipal,
  BookingCommand,
  CabinetCommand,
  InvitationAnswerCommand,
  InvitationCommand,
  PlenaryDecisionCommand,
  PlenarySessionRef,
  ReferralCommand,
  SubmissionCommand,
  Actor,
  AuditEventDraft,
  AuditEventType,
  Deadline,
  DeadlineRequest,
  InitiativeInput,
  LifecycleState,
  Outcome,
  PendingAction,
  ReviewCommand,
  RevisionCommand,
  WithdrawalCommand,
} from './contracts.js';
import { FailureType, SYSTEM_ACTOR } from './contracts.js';
import { PARTNERS, isPartner, isTerminal, type Land, type Phase } from './domain.js';

export class Rejection {
  constructor(
    readonly type: FailureType,
    readonly message: string,
  ) {}
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

function reviewRound(state: LifecycleState): DeadlineRequest[] {
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
  const state: LifecycleState = {
    initiative: {
      id: input.id,
      title: input.title,
      summary: input.summary,
      topic: input.topic,
      channel: input.channel,
      instrument: input.instrument,
      ressort: input.ressort,
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
      pendingActions: [],
      outcome: null,
      periods: input.periods,
      createdAt: now,
      updatedAt: now,
      version: 0,
    },
    deadlines: [],
    auditSeq: 0,
  };
  const transition = begin();
  const proposer: ActingPrincipal = { ...input.proposer, role: 'proposer' };
  emit(state, transition, now, 'initiative_created', proposer, {
    title: input.title,
    summary: input.summary,
    topic: input.topic,
    channel: input.channel,
    instrument: input.instrument,
    ressort: input.ressort,
    invite: invited,
    periods: input.periods,
  });
  transition.deadlineRequests.push(
    ...reviewRound(state),
    ...invited.map((land) => ({ kind: 'invitation' as const, land, period: input.periods.invitation })),
  );
  commit(state, now);
  return { state, transition };
}

// ---- checks: the validators' view. The API has already authenticated and authorised by role/Land. ----

function checkOpen(state: LifecycleState, expectedVersion: number | undefined): Rejection | undefined {
  const { phase, version } = state.initiative;
  if (isTerminal(phase))
    return new Rejection(FailureType.Conflict, `The initiative is ${phase}; nothing changes any more.`);
  if (expectedVersion !== undefined && expectedVersion !== version)
    return new Rejection(
      FailureType.PreconditionFailed,
      `If-Match names version ${expectedVersion}, the initiative is at version ${version}.`,
    );
  return undefined;
}

export function checkReview(state: LifecycleState, command: ReviewCommand): Rejection | undefined {
  const { initiative } = state;
  if (isTerminal(initiative.phase)) return checkOpen(state, undefined);
  if (command.actor.sub === initiative.proposer.sub)
    return new Rejection(
      FailureType.Forbidden,
      'Four-eyes principle: the proposer cannot review their own initiative.',
    );
  if (initiative.phase !== 'review')
    return new Rejection(
      FailureType.Conflict,
      `Reviews are decided in phase review; the initiative is in ${initiative.phase}.`,
    );
  const review = initiative.reviews.find((r) => r.land === command.actor.land);
  if (!review)
    return new Rejection(FailureType.Forbidden, `${command.actor.land} does not review this initiative.`);
  if (review.status !== 'pending')
    return new Rejection(
      FailureType.Conflict,
      `${review.land} has already decided this round (${review.status}).`,
    );
  return checkOpen(state, command.expectedVersion);
}

export function checkRevision(state: LifecycleState, command: RevisionCommand): Rejection | undefined {
  const { initiative } = state;
  if (isTerminal(initiative.phase)) return checkOpen(state, undefined);
  if (command.actor.sub !== initiative.proposer.sub)
    return new Rejection(FailureType.Forbidden, 'Only the proposer of the initiative submits revisions.');
  if (initiative.phase !== 'revision')
    return new Rejection(
      FailureType.Conflict,
      `Revisions are submitted in phase revision; the initiative is in ${initiative.phase}.`,
    );
  return checkOpen(state, command.expectedVersion);
}

export function checkWithdrawal(state: LifecycleState, command: WithdrawalCommand): Rejection | undefined {
  const { initiative } = state;
  if (isTerminal(initiative.phase)) return checkOpen(state, undefined);
  if (command.actor.sub !== initiative.proposer.sub)
    return new Rejection(FailureType.Forbidden, 'Only the proposer of the initiative may withdraw it.');
  return checkOpen(state, command.expectedVersion);
}

const INVITING_PHASES: readonly Phase[] = ['review', 'revision', 'consultation'];

export function checkInvitation(state: LifecycleState, command: InvitationCommand): Rejection | undefined {
  const { initiative } = state;
  if (isTerminal(initiative.phase)) return checkOpen(state, undefined);
  const partners = command.lands.filter(isPartner);
  if (partners.length > 0)
    return new Rejection(
      FailureType.InvalidInput,
      `${partners.join(', ')} is a partner, not a further Land.`,
    );
  if (!INVITING_PHASES.includes(initiative.phase))
    return new Rejection(
      FailureType.Conflict,
      `Invitations end with the ${initiative.phase} phase; further Länder accede to the Bundesrat motion instead.`,
    );
  const again = command.lands.filter((land) => initiative.invitations.some((i) => i.land === land));
  if (again.length > 0)
    return new Rejection(FailureType.Conflict, `${again.join(', ')} has already been invited.`);
  return checkOpen(state, command.expectedVersion);
}

export function checkInvitationAnswer(
  state: LifecycleState,
  command: InvitationAnswerCommand,
): Rejection | undefined {
  const { initiative } = state;
  if (isTerminal(initiative.phase)) return checkOpen(state, undefined);
  const invitation = initiative.invitations.find((i) => i.land === command.land);
  if (!invitation) return new Rejection(FailureType.Conflict, `${command.land} has not been invited.`);
  if (invitation.status !== 'pending')
    return new Rejection(
      FailureType.Conflict,
      `${command.land}'s invitation is answered already (${invitation.status}).`,
    );
  return checkOpen(state, command.expectedVersion);
}

export function checkCabinet(state: LifecycleState, command: CabinetCommand): Rejection | undefined {
  const { initiative } = state;
  if (isTerminal(initiative.phase)) return checkOpen(state, undefined);
  if (initiative.phase !== 'cabinet')
    return new Rejection(
      FailureType.Conflict,
      `Cabinet decisions are recorded in phase cabinet; the initiative is in ${initiative.phase}.`,
    );
  const decision = initiative.cabinetDecisions.find((d) => d.land === command.actor.land);
  if (!decision || !initiative.bundesrat?.applicants.includes(command.actor.land))
    return new Rejection(FailureType.Conflict, `${command.actor.land} is not an applicant of this motion.`);
  if (decision.status !== 'pending')
    return new Rejection(
      FailureType.Conflict,
      `${decision.land}'s cabinet has decided already (${decision.status}).`,
    );
  return checkOpen(state, command.expectedVersion);
}

function checkBundesratPhase(state: LifecycleState): Rejection | undefined {
  const { phase } = state.initiative;
  if (isTerminal(phase)) return checkOpen(state, undefined);
  if (phase !== 'bundesrat')
    return new Rejection(
      FailureType.Conflict,
      `Bundesrat events are recorded in phase bundesrat; the initiative is in ${phase}.`,
    );
  return undefined;
}

export function checkSubmission(state: LifecycleState, command: SubmissionCommand): Rejection | undefined {
  const rejection = checkBundesratPhase(state);
  if (rejection) return rejection;
  const bundesrat = state.initiative.bundesrat;
  if (bundesrat?.status !== 'preparing')
    return new Rejection(
      FailureType.Conflict,
      `The motion has been submitted already (Drucksache ${bundesrat?.drucksache ?? '?'}).`,
    );
  return checkOpen(state, command.expectedVersion);
}

export function checkReferral(state: LifecycleState, command: ReferralCommand): Rejection | undefined {
  const rejection = checkBundesratPhase(state);
  if (rejection) return rejection;
  const bundesrat = state.initiative.bundesrat;
  if (bundesrat?.status === 'preparing')
    return new Rejection(FailureType.Conflict, 'The motion has not been submitted yet.');
  if (bundesrat?.procedure === 'immediate')
    return new Rejection(
      FailureType.Conflict,
      'Under the immediate procedure (sofortige Sachentscheidung) there is no committee referral.',
    );
  if (bundesrat?.status !== 'submitted')
    return new Rejection(FailureType.Conflict, 'The motion has been referred already.');
  return checkOpen(state, command.expectedVersion);
}

export function checkPlenaryDecision(
  state: LifecycleState,
  command: PlenaryDecisionCommand,
): Rejection | undefined {
  const rejection = checkBundesratPhase(state);
  if (rejection) return rejection;
  const bundesrat = state.initiative.bundesrat;
  if (bundesrat?.status === 'preparing')
    return new Rejection(FailureType.Conflict, 'The motion has not been submitted yet.');
  if (bundesrat?.procedure === 'committee' && bundesrat.status !== 'referred')
    return new Rejection(
      FailureType.Conflict,
      'Under the committee procedure the plenary decides after the referral.',
    );
  return checkOpen(state, command.expectedVersion);
}

export function checkAccession(state: LifecycleState, command: AccessionCommand): Rejection | undefined {
  const rejection = checkBundesratPhase(state);
  if (rejection) return rejection;
  const { land } = command.actor;
  if (isPartner(land)) return new Rejection(FailureType.Conflict, `${land} is a partner and applies anyway.`);
  if (state.initiative.bundesrat?.applicants.includes(land))
    return new Rejection(FailureType.Conflict, `${land} is an applicant already.`);
  return checkOpen(state, command.expectedVersion);
}

export function checkBooking(state: LifecycleState, command: BookingCommand): Rejection | undefined {
  const rejection = checkBundesratPhase(state);
  if (rejection) return rejection;
  const bundesrat = state.initiative.bundesrat;
  if (bundesrat?.status === 'preparing' || bundesrat?.plenarySession)
    return new Rejection(
      FailureType.Conflict,
      'The motion needs no booking: it is not submitted, or booked already.',
    );
  return checkOpen(state, command.expectedVersion);
}

// ---- transitions ----

const begin = (): Transition => ({ events: [], deadlineRequests: [] });

function emit(
  state: LifecycleState,
  transition: Transition,
  at: string,
  type: AuditEventType,
  actor: Actor,
  data: Record<string, unknown>,
): void {
  state.auditSeq += 1;
  transition.events.push({ seq: state.auditSeq, at, type, actor, data });
}

function commit(state: LifecycleState, now: string): void {
  state.initiative.version += 1;
  state.initiative.updatedAt = now;
  state.initiative.pendingActions = pendingActions(state);
}

function enterPhase(
  state: LifecycleState,
  transition: Transition,
  now: string,
  to: Phase,
  actor: Actor,
  reason?: string,
): void {
  const from = state.initiative.phase;
  state.initiative.phase = to;
  emit(
    state,
    transition,
    now,
    'phase_changed',
    actor,
    reason === undefined ? { from, to } : { from, to, reason },
  );
}

function finish(
  state: LifecycleState,
  transition: Transition,
  now: string,
  result: Outcome['result'],
  reason: string,
  actor: Actor,
): void {
  enterPhase(state, transition, now, result, actor, reason);
  state.initiative.outcome = { result, reason, at: now };
  state.initiative.overdue = false;
  state.deadlines = [];
  for (const review of state.initiative.reviews) delete review.dueAt;
  for (const invitation of state.initiative.invitations) delete invitation.dueAt;
}

/** After joint approval: wait for open invitations, else the channel's next stage. */
function advanceAfterApproval(
  state: LifecycleState,
  transition: Transition,
  now: string,
  actor: Actor,
): void {
  const { initiative } = state;
  if (initiative.invitations.some((i) => i.status === 'pending')) {
    if (initiative.phase !== 'consultation') enterPhase(state, transition, now, 'consultation', actor);
    return;
  }
  if (initiative.channel === 'joint') {
    finish(state, transition, now, 'adopted', 'joint_approval', actor);
    return;
  }
  const applicants: Land[] = initiative.participants
    .filter((p) => p.role === 'partner' || p.role === 'joined')
    .map((p) => p.land);
  initiative.cabinetDecisions = applicants.map((land) => ({ land, status: 'pending' }));
  initiative.bundesrat = { applicants, status: 'preparing', plenarySession: null, postponements: 0 };
  enterPhase(state, transition, now, 'cabinet', actor);
}

function dropDeadlines(state: LifecycleState, kind: Deadline['kind'], land?: Land): void {
  state.deadlines = state.deadlines.filter((d) => d.kind !== kind || (land !== undefined && d.land !== land));
}

export function applyReview(state: LifecycleState, command: ReviewCommand, now: string): Transition {
  const transition = begin();
  const { initiative } = state;
  const { actor } = command;
  const review = initiative.reviews.find((r) => r.land === actor.land);
  if (!review) throw new Error(`no review for ${actor.land}`); // excluded by checkReview
  review.status =
    command.decision === 'approve'
      ? 'approved'
      : command.decision === 'reject'
        ? 'rejected'
        : 'changes_requested';
  review.by = { sub: actor.sub, name: actor.name };
  review.at = now;
  if (command.comment !== undefined) review.comment = command.comment;
  delete review.dueAt;
  dropDeadlines(state, 'review', review.land);
  emit(state, transition, now, 'review_decided', actor, {
    land: review.land,
    round: initiative.revision,
    decision: review.status,
    ...(command.comment === undefined ? {} : { comment: command.comment }),
  });

  if (review.status === 'rejected') {
    finish(state, transition, now, 'rejected', 'review', actor);
  } else if (initiative.reviews.every((r) => r.status !== 'pending')) {
    initiative.overdue = false;
    if (initiative.reviews.every((r) => r.status === 'approved')) {
      advanceAfterApproval(state, transition, now, actor);
    } else {
      enterPhase(state, transition, now, 'revision', actor);
      transition.deadlineRequests.push({
        kind: 'revision',
        land: initiative.leadLand,
        period: initiative.periods.revision,
      });
    }
  }
  commit(state, now);
  return transition;
}

export function applyRevision(state: LifecycleState, command: RevisionCommand, now: string): Transition {
  const transition = begin();
  const { initiative } = state;
  const changed: Record<string, string> = {};
  if (command.title !== undefined && command.title !== initiative.title)
    changed.title = initiative.title = command.title;
  if (command.summary !== undefined && command.summary !== initiative.summary)
    changed.summary = initiative.summary = command.summary;
  initiative.revision += 1;
  initiative.overdue = false;
  initiative.reviews = PARTNERS.map((land) => ({ land, status: 'pending' }));
  dropDeadlines(state, 'revision');
  emit(state, transition, now, 'revision_submitted', command.actor, {
    revision: initiative.revision,
    comment: command.comment,
    changed,
  });
  enterPhase(state, transition, now, 'review', command.actor);
  transition.deadlineRequests.push(...reviewRound(state));
  commit(state, now);
  return transition;
}

export function applyWithdrawal(state: LifecycleState, command: WithdrawalCommand, now: string): Transition {
  const transition = begin();
  emit(state, transition, now, 'withdrawn', command.actor, { reason: command.reason });
  finish(state, transition, now, 'withdrawn', command.reason, command.actor);
  commit(state, now);
  return transition;
}

/** The liaison is reminded when no decision is recorded a period after the booked session. */
function plenaryReminder(state: LifecycleState, session: PlenarySessionRef): DeadlineRequest {
  return {
    kind: 'plenary',
    land: state.initiative.leadLand,
    // Noon UTC lies inside the session's Berlin day: the period counts from that calendar date.
    from: `${session.date}T12:00:00.000Z`,
    period: state.initiative.periods.bundesratDecisionReminder ?? 'P3D',
  };
}

function book(state: LifecycleState, transition: Transition, session: PlenarySessionRef | null): void {
  const bundesrat = state.initiative.bundesrat;
  if (!bundesrat) return;
  bundesrat.plenarySession = session;
  dropDeadlines(state, 'plenary');
  if (session) transition.deadlineRequests.push(plenaryReminder(state, session));
}

const addDays = (date: string, days: number): string => {
  const instant = new Date(`${date}T00:00:00.000Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
};

/** Art. 76(3) GG: the federal government forwards a Bundesrat bill within six weeks (estimated from the decision). */
const FORWARDING_DAYS = 42;

export function applyInvitation(state: LifecycleState, command: InvitationCommand, now: string): Transition {
  const transition = begin();
  const { initiative } = state;
  for (const land of command.lands) {
    initiative.invitations.push({ land, status: 'pending', invitedAt: now });
    const participant = initiative.participants.find((p) => p.land === land);
    if (participant) participant.role = 'invited';
    else initiative.participants.push({ land, role: 'invited' });
    transition.deadlineRequests.push({ kind: 'invitation', land, period: initiative.periods.invitation });
  }
  emit(state, transition, now, 'invited', command.actor, {
    lands: command.lands,
    ...(command.comment === undefined ? {} : { comment: command.comment }),
  });
  commit(state, now);
  return transition;
}

export function applyInvitationAnswer(
  state: LifecycleState,
  command: InvitationAnswerCommand,
  now: string,
): Transition {
  const transition = begin();
  const { initiative } = state;
  const invitation = initiative.invitations.find((i) => i.land === command.land);
  if (!invitation) throw new Error(`no invitation for ${command.land}`); // excluded by checkInvitationAnswer
  invitation.status = command.decision === 'join' ? 'joined' : 'declined';
  invitation.answeredAt = now;
  delete invitation.dueAt;
  const participant = initiative.participants.find((p) => p.land === command.land);
  if (participant) participant.role = invitation.status;
  dropDeadlines(state, 'invitation', command.land);
  emit(state, transition, now, 'invitation_answered', command.actor, {
    land: command.land,
    decision: invitation.status,
    ...(command.comment === undefined ? {} : { comment: command.comment }),
  });
  if (initiative.phase === 'consultation') advanceAfterApproval(state, transition, now, command.actor);
  commit(state, now);
  return transition;
}

export function applyCabinet(state: LifecycleState, command: CabinetCommand, now: string): Transition {
  const transition = begin();
  const { initiative } = state;
  const { actor } = command;
  const decision = initiative.cabinetDecisions.find((d) => d.land === actor.land);
  const bundesrat = initiative.bundesrat;
  if (!decision || !bundesrat) throw new Error(`no cabinet decision for ${actor.land}`); // excluded by checkCabinet
  decision.status = command.decision === 'approve' ? 'approved' : 'declined';
  decision.decidedOn = command.decidedOn;
  decision.by = { sub: actor.sub, name: actor.name };
  emit(state, transition, now, 'cabinet_decided', actor, {
    land: actor.land,
    decision: decision.status,
    decidedOn: command.decidedOn,
  });
  if (decision.status === 'declined' && isPartner(actor.land)) {
    finish(state, transition, now, 'rejected', 'cabinet', actor);
  } else {
    if (decision.status === 'declined') {
      // A joined Land that declines leaves the applicants; the motion goes on without it.
      bundesrat.applicants = bundesrat.applicants.filter((land) => land !== actor.land);
      const participant = initiative.participants.find((p) => p.land === actor.land);
      if (participant) participant.role = 'declined';
    }
    const remaining = initiative.cabinetDecisions.filter((d) => bundesrat.applicants.includes(d.land));
    if (remaining.every((d) => d.status === 'approved')) {
      bundesrat.enteredAt = now;
      enterPhase(state, transition, now, 'bundesrat', actor);
    }
  }
  commit(state, now);
  return transition;
}

export function applySubmission(state: LifecycleState, command: SubmissionCommand, now: string): Transition {
  const transition = begin();
  const bundesrat = state.initiative.bundesrat;
  if (!bundesrat) throw new Error('no bundesrat state'); // excluded by checkSubmission
  bundesrat.status = 'submitted';
  bundesrat.drucksache = command.drucksache;
  bundesrat.procedure = command.procedure;
  bundesrat.submittedOn = command.submittedOn;
  book(state, transition, command.session);
  emit(state, transition, now, 'bundesrat_submitted', command.actor, {
    drucksache: command.drucksache,
    procedure: command.procedure,
    submittedOn: command.submittedOn,
    plenarySession: command.session,
  });
  commit(state, now);
  return transition;
}

export function applyReferral(state: LifecycleState, command: ReferralCommand, now: string): Transition {
  const transition = begin();
  const bundesrat = state.initiative.bundesrat;
  if (!bundesrat) throw new Error('no bundesrat state'); // excluded by checkReferral
  bundesrat.status = 'referred';
  bundesrat.committees = command.committees;
  bundesrat.leadCommittee = command.leadCommittee;
  emit(state, transition, now, 'bundesrat_referred', command.actor, {
    committees: command.committees,
    leadCommittee: command.leadCommittee,
  });
  commit(state, now);
  return transition;
}

export function applyPlenaryDecision(
  state: LifecycleState,
  command: PlenaryDecisionCommand,
  now: string,
): Transition {
  const transition = begin();
  const { initiative } = state;
  const bundesrat = initiative.bundesrat;
  if (!bundesrat) throw new Error('no bundesrat state'); // excluded by checkPlenaryDecision
  const { actor, decision, decidedOn } = command;
  if (decision === 'postponed') {
    const from = bundesrat.plenarySession;
    bundesrat.postponements += 1;
    book(state, transition, command.nextSession ?? null);
    emit(state, transition, now, 'plenary_decided', actor, {
      decision,
      decidedOn,
      from,
      to: bundesrat.plenarySession,
    });
  } else {
    bundesrat.status = 'decided';
    bundesrat.decision = decision;
    bundesrat.decidedOn = decidedOn;
    if (decision === 'adopted' && initiative.instrument === 'gesetzesantrag')
      bundesrat.forwardingDueOn = addDays(decidedOn, FORWARDING_DAYS);
    emit(state, transition, now, 'plenary_decided', actor, {
      decision,
      decidedOn,
      ...(bundesrat.forwardingDueOn === undefined ? {} : { forwardingDueOn: bundesrat.forwardingDueOn }),
    });
    finish(state, transition, now, decision, 'bundesrat', actor);
  }
  commit(state, now);
  return transition;
}

export function applyAccession(state: LifecycleState, command: AccessionCommand, now: string): Transition {
  const transition = begin();
  const { initiative } = state;
  const { land } = command.actor;
  initiative.bundesrat?.applicants.push(land);
  const participant = initiative.participants.find((p) => p.land === land);
  if (participant) participant.role = 'joined';
  else initiative.participants.push({ land, role: 'joined' });
  emit(state, transition, now, 'accession_declared', command.actor, { land });
  commit(state, now);
  return transition;
}

export function applyBooking(state: LifecycleState, command: BookingCommand, now: string): Transition {
  const transition = begin();
  book(state, transition, command.session);
  emit(state, transition, now, 'session_booked', command.actor, { plenarySession: command.session });
  commit(state, now);
  return transition;
}

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
    } else {
      const invitation = initiative.invitations.find((i) => i.land === request.land);
      if (invitation?.status !== 'pending') return;
      invitation.dueAt = result.dueAt;
    }
    dropDeadlines(state, request.kind, request.land);
    state.deadlines.push(deadline);
  });
  initiative.pendingActions = pendingActions(state);
}

// ---- timers ----

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
    } else if (deadline.kind === 'plenary') {
      if (!deadline.reminded) consider(deadline.dueAt, 'remind', deadline);
    } else {
      consider(deadline.dueAt, 'expire', deadline);
    }
  }
  return next;
}

export function applyTimer(state: LifecycleState, timer: DueTimer, now: string): Transition {
  const transition = begin();
  const { deadline } = timer;
  const { initiative } = state;
  const data = { land: deadline.land, dueAt: deadline.dueAt };
  if (timer.kind === 'remind') {
    deadline.reminded = true;
    if (deadline.kind === 'plenary')
      emit(state, transition, now, 'bundesrat_decision_reminder', SYSTEM_ACTOR, {
        ...data,
        plenarySession: initiative.bundesrat?.plenarySession ?? null,
      });
    else emit(state, transition, now, 'review_reminder', SYSTEM_ACTOR, data);
  } else if (timer.kind === 'escalate') {
    deadline.reminded = true;
    deadline.escalated = true;
    initiative.overdue = true;
    emit(state, transition, now, 'review_escalated', SYSTEM_ACTOR, { ...data, expiresAt: deadline.expireAt });
  } else if (deadline.kind === 'invitation') {
    const invitation = initiative.invitations.find((i) => i.land === deadline.land);
    const participant = initiative.participants.find((p) => p.land === deadline.land);
    if (invitation) {
      invitation.status = 'no_response';
      delete invitation.dueAt;
    }
    if (participant) participant.role = 'no_response';
    dropDeadlines(state, 'invitation', deadline.land);
    emit(state, transition, now, 'invitation_no_response', SYSTEM_ACTOR, data);
    if (initiative.phase === 'consultation') advanceAfterApproval(state, transition, now, SYSTEM_ACTOR);
  } else {
    emit(state, transition, now, 'expired', SYSTEM_ACTOR, { ...data, kind: deadline.kind });
    finish(state, transition, now, 'expired', `${deadline.kind}_deadline`, SYSTEM_ACTOR);
  }
  commit(state, now);
  return transition;
}

// ---- derived ----

export function pendingActions(state: LifecycleState): PendingAction[] {
  const { initiative } = state;
  const dueOf = (kind: Deadline['kind'], land: Land) =>
    state.deadlines.find((d) => d.kind === kind && d.land === land)?.dueAt;
  const withDue = (action: PendingAction, dueAt: string | undefined): PendingAction =>
    dueAt === undefined ? action : { ...action, dueAt };
  const actions: PendingAction[] = [];
  switch (initiative.phase) {
    case 'review':
      for (const review of initiative.reviews)
        if (review.status === 'pending')
          actions.push(
            withDue({ action: 'review', land: review.land, role: 'reviewer' }, dueOf('review', review.land)),
          );
      break;
    case 'revision':
      actions.push(
        withDue(
          { action: 'revise', land: initiative.leadLand, role: 'proposer' },
          dueOf('revision', initiative.leadLand),
        ),
      );
      break;
    case 'cabinet':
      for (const decision of initiative.cabinetDecisions)
        if (decision.status === 'pending')
          actions.push({ action: 'cabinet', land: decision.land, role: 'cabinet' });
      break;
    case 'bundesrat': {
      const bundesrat = initiative.bundesrat;
      const lead = initiative.leadLand;
      if (bundesrat?.status === 'preparing') actions.push({ action: 'submit', land: lead, role: 'liaison' });
      else if (bundesrat?.status === 'submitted' && bundesrat.procedure === 'committee')
        actions.push({ action: 'refer', land: lead, role: 'liaison' });
      else actions.push(withDue({ action: 'decide', land: lead, role: 'liaison' }, dueOf('plenary', lead)));
      if (bundesrat?.status !== 'preparing' && bundesrat?.plenarySession === null)
        actions.push({ action: 'calendar', land: lead, role: 'admin' });
      break;
    }
    default:
      break;
  }
  if (!isTerminal(initiative.phase) && initiative.phase !== 'cabinet' && initiative.phase !== 'bundesrat')
    for (const invitation of initiative.invitations)
      if (invitation.status === 'pending')
        actions.push(
          withDue(
            { action: 'respond', land: invitation.land, role: 'reviewer' },
            dueOf('invitation', invitation.land),
          ),
        );
  return actions;
}
