/** Further Länder and the cabinets: invitations and their answers, cabinet decisions, accession (Beitritt). */
import type { ActingPrincipal, CommandBase, LifecycleState } from '../contracts.js';
import { FailureType } from '../contracts.js';
import { isPartner, type Land, type Phase } from '../domain.js';
import { Rejection, change, type Transition } from './frame.js';
import { advanceAfterApproval, checkOpen, checkPhase, dropDeadlines, enterPhase, finish } from './state.js';
import { checkBundesratPhase } from './bundesrat.js';

export interface InvitationCommand extends CommandBase {
  lands: Land[];
  comment?: string;
}
export interface InvitationAnswerCommand extends CommandBase {
  land: Land;
  decision: 'join' | 'decline';
  comment?: string;
}
export interface CabinetCommand extends CommandBase {
  decision: 'approve' | 'decline';
  decidedOn: string;
}
export type AccessionCommand = CommandBase;

const INVITING_PHASES: readonly Phase[] = ['review', 'revision', 'consultation'];

export function mayInvite(state: LifecycleState): Rejection | undefined {
  const { phase } = state.initiative;
  if (!INVITING_PHASES.includes(phase))
    return (
      checkOpen(state) ??
      new Rejection(
        FailureType.Conflict,
        `Invitations end with the ${phase} phase; further Länder accede to the Bundesrat motion instead.`,
      )
    );
  return undefined;
}

export function checkInvitationPayload(
  state: LifecycleState,
  command: InvitationCommand,
): Rejection | undefined {
  const partners = command.lands.filter(isPartner);
  if (partners.length > 0)
    return new Rejection(
      FailureType.InvalidInput,
      `${partners.join(', ')} is a partner, not a further Land.`,
    );
  const again = command.lands.filter((land) => state.initiative.invitations.some((i) => i.land === land));
  if (again.length > 0)
    return new Rejection(FailureType.Conflict, `${again.join(', ')} has already been invited.`);
  return undefined;
}

export function applyInvitation(state: LifecycleState, command: InvitationCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    for (const land of command.lands) {
      initiative.invitations.push({ land, status: 'pending', invitedAt: now });
      const participant = initiative.participants.find((p) => p.land === land);
      if (participant) participant.role = 'invited';
      else initiative.participants.push({ land, role: 'invited' });
      c.deadlineRequests.push({ kind: 'invitation', land, period: initiative.periods.invitation });
    }
    c.emit('invited', command.actor, {
      lands: command.lands,
      ...(command.comment === undefined ? {} : { comment: command.comment }),
    });
  });
}

/** `land`'s invitation is open; offered to a Land for its own invitation. */
export function mayAnswerInvitation(state: LifecycleState, land: Land): Rejection | undefined {
  const refused = checkOpen(state);
  if (refused) return refused;
  const invitation = state.initiative.invitations.find((i) => i.land === land);
  if (!invitation) return new Rejection(FailureType.Conflict, `${land} has not been invited.`);
  if (invitation.status !== 'pending')
    return new Rejection(
      FailureType.Conflict,
      `${land}'s invitation is answered already (${invitation.status}).`,
    );
  return undefined;
}

export function applyInvitationAnswer(
  state: LifecycleState,
  command: InvitationAnswerCommand,
  now: string,
): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const invitation = initiative.invitations.find((i) => i.land === command.land);
    if (!invitation) throw new Error(`no invitation for ${command.land}`); // excluded by mayAnswerInvitation
    invitation.status = command.decision === 'join' ? 'joined' : 'declined';
    invitation.answeredAt = now;
    delete invitation.dueAt;
    const participant = initiative.participants.find((p) => p.land === command.land);
    if (participant) participant.role = invitation.status;
    dropDeadlines(state, 'invitation', command.land);
    c.emit('invitation_answered', command.actor, {
      land: command.land,
      decision: invitation.status,
      ...(command.comment === undefined ? {} : { comment: command.comment }),
    });
    if (initiative.phase === 'consultation') advanceAfterApproval(c, command.actor);
  });
}

export function mayDecideCabinet(state: LifecycleState, actor: ActingPrincipal): Rejection | undefined {
  const refused = checkPhase(state, 'cabinet', 'Cabinet decisions are recorded');
  if (refused) return refused;
  const { initiative } = state;
  const decision = initiative.cabinetDecisions.find((d) => d.land === actor.land);
  if (!decision || !initiative.bundesrat?.applicants.includes(actor.land))
    return new Rejection(FailureType.Conflict, `${actor.land} is not an applicant of this motion.`);
  if (decision.status !== 'pending')
    return new Rejection(
      FailureType.Conflict,
      `${decision.land}'s cabinet has decided already (${decision.status}).`,
    );
  return undefined;
}

export function applyCabinet(state: LifecycleState, command: CabinetCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const { actor } = command;
    const decision = initiative.cabinetDecisions.find((d) => d.land === actor.land);
    const bundesrat = initiative.bundesrat;
    if (!decision || !bundesrat) throw new Error(`no cabinet decision for ${actor.land}`); // excluded by mayDecideCabinet
    decision.status = command.decision === 'approve' ? 'approved' : 'declined';
    decision.decidedOn = command.decidedOn;
    decision.by = { sub: actor.sub, name: actor.name };
    c.emit('cabinet_decided', actor, {
      land: actor.land,
      decision: decision.status,
      decidedOn: command.decidedOn,
    });
    if (decision.status === 'declined' && isPartner(actor.land)) {
      finish(c, 'rejected', 'cabinet', actor);
      return;
    }
    if (decision.status === 'declined') {
      // A joined Land that declines leaves the applicants; the motion goes on without it.
      bundesrat.applicants = bundesrat.applicants.filter((land) => land !== actor.land);
      const participant = initiative.participants.find((p) => p.land === actor.land);
      if (participant) participant.role = 'declined';
    }
    const remaining = initiative.cabinetDecisions.filter((d) => bundesrat.applicants.includes(d.land));
    if (remaining.every((d) => d.status === 'approved')) {
      bundesrat.enteredAt = now;
      enterPhase(c, 'bundesrat', actor);
    }
  });
}

export function mayAccede(state: LifecycleState, actor: ActingPrincipal): Rejection | undefined {
  const refused = checkBundesratPhase(state);
  if (refused) return refused;
  const { land } = actor;
  if (isPartner(land)) return new Rejection(FailureType.Conflict, `${land} is a partner and applies anyway.`);
  if (state.initiative.bundesrat?.applicants.includes(land))
    return new Rejection(FailureType.Conflict, `${land} is an applicant already.`);
  return undefined;
}

export function applyAccession(state: LifecycleState, command: AccessionCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const { land } = command.actor;
    initiative.bundesrat?.applicants.push(land);
    const participant = initiative.participants.find((p) => p.land === land);
    if (participant) participant.role = 'joined';
    else initiative.participants.push({ land, role: 'joined' });
    c.emit('accession_declared', command.actor, { land });
  });
}
