/**
 * The `conference` stage of channel `laenderkreis` (docs/laenderkreis.md): entry after joint approval and
 * consultation, registration of the agenda item, co-applicants, the decision with votes checked against the
 * conference's rule, postponements and bookings. Pure: the API passes in what the workflow cannot read
 * (the booked session, the Königsteiner Schlüssel).
 */
import type { Actor, CommandBase, DeadlineRequest, LifecycleState } from './contracts.js';
import { FailureType } from './contracts.js';
import {
  evaluateRule,
  voteErrors,
  votingMembers,
  type KoenigsteinTable,
  type Member,
  type MotionKind,
  type Votes,
  type VotingRule,
} from './conferences.js';
import { isPartner, type Land } from './domain.js';
import { Rejection, change, type Change, type Transition } from './lifecycle/frame.js';
import { checkPhase, dropDeadlines, enterPhase, finish } from './lifecycle/state.js';

/** The conference as the API found it when the initiative was created; its rule is the motion kind's. */
export interface ConferenceSetup {
  key: string;
  name: string;
  motionKind: MotionKind;
  members: Land[];
  bund: boolean;
  rule: VotingRule;
  registrationLeadDays: number;
}

export interface ConferenceSessionRef {
  date: string;
  number?: number;
}

export interface ProtocolDeclaration {
  land: Member;
  text: string;
}

export type ConferenceDecision = 'adopted' | 'rejected' | 'postponed';

/** The `conference` sub-object of the resource (from phase `conference` on). */
export interface ConferenceState extends ConferenceSetup {
  applicants: Land[];
  status: 'preparing' | 'registered' | 'decided';
  registeredOn?: string;
  top?: string;
  session?: ConferenceSessionRef | null;
  postponements: number;
  decision?: Exclude<ConferenceDecision, 'postponed'>;
  decidedOn?: string;
  votes?: Votes;
  resolutionNumber?: string;
  protocolDeclarations?: ProtocolDeclaration[];
  /** When the initiative entered the stage: from then on every member Land reads it. */
  enteredAt: string;
}

/** The API books the session from the conference's calendar (data the workflow cannot read). */
export interface RegistrationCommand extends CommandBase {
  registeredOn: string;
  top?: string;
  session: ConferenceSessionRef;
}
export type CoApplicationCommand = CommandBase;
export interface ConferenceDecisionCommand extends CommandBase {
  decision: ConferenceDecision;
  decidedOn: string;
  votes?: Votes;
  resolutionNumber?: string;
  protocolDeclarations?: ProtocolDeclaration[];
  /** For `postponed`: the conference's next session, or null past its calendar's end. */
  nextSession?: ConferenceSessionRef | null;
  /** For a rule that weighs the Länder: the table of `decidedOn`'s year (else the newest earlier one). */
  koenigstein?: KoenigsteinTable;
}
/** After the calendar was extended: books an initiative that had fallen past the calendar's end. */
export interface ConferenceBookingCommand extends CommandBase {
  session: ConferenceSessionRef;
}

const checkConferencePhase = (state: LifecycleState): Rejection | undefined =>
  checkPhase(state, 'conference', 'Conference events are recorded');

/** Enters the stage: the applicants are the partners and the Länder that joined in consultation. */
export function enterConference(c: Change, actor: Actor): void {
  const { initiative } = c.state;
  const setup = c.state.conferenceSetup;
  if (!setup) throw new Error('a laenderkreis initiative without its conference'); // set at creation
  const applicants: Land[] = initiative.participants
    .filter((p) => p.role === 'partner' || p.role === 'joined')
    .map((p) => p.land);
  initiative.conference = {
    ...setup,
    applicants,
    status: 'preparing',
    session: null,
    postponements: 0,
    enteredAt: c.now,
  };
  enterPhase(c, 'conference', actor);
}

/** The liaison is reminded when no decision is recorded a period after the booked session. */
function decisionReminder(state: LifecycleState, session: ConferenceSessionRef): DeadlineRequest {
  return {
    kind: 'conference',
    land: state.initiative.leadLand,
    // Noon UTC lies inside the session's Berlin day: the period counts from that calendar date.
    from: `${session.date}T12:00:00.000Z`,
    period: state.initiative.periods.conferenceDecisionReminder ?? 'P3D',
  };
}

function book(c: Change, session: ConferenceSessionRef | null): void {
  const conference = c.state.initiative.conference;
  if (!conference) return;
  conference.session = session;
  dropDeadlines(c.state, 'conference');
  if (session) c.deadlineRequests.push(decisionReminder(c.state, session));
}

export function mayRegister(state: LifecycleState): Rejection | undefined {
  const refused = checkConferencePhase(state);
  if (refused) return refused;
  const conference = state.initiative.conference;
  return conference?.status === 'preparing'
    ? undefined
    : new Rejection(
        FailureType.Conflict,
        `The agenda item is registered already (on ${conference?.registeredOn ?? '?'}).`,
      );
}

export function applyRegistration(
  state: LifecycleState,
  command: RegistrationCommand,
  now: string,
): Transition {
  return change(state, now, (c) => {
    const conference = state.initiative.conference;
    if (!conference) throw new Error('no conference state'); // excluded by mayRegister
    conference.status = 'registered';
    conference.registeredOn = command.registeredOn;
    if (command.top !== undefined) conference.top = command.top;
    book(c, command.session);
    c.emit('conference_registered', command.actor, {
      conference: conference.key,
      registeredOn: command.registeredOn,
      ...(command.top === undefined ? {} : { top: command.top }),
      session: command.session,
    });
  });
}

/** A Land that is not a member of the conference cannot join its motion (403, a who-may rule). */
export function conferenceMember(caller: { land: Land }, initiative: LifecycleState['initiative']) {
  const conference = initiative.conference;
  if (!conference || conference.members.includes(caller.land)) return undefined;
  return `${caller.land} is not a member of the ${conference.name}.`;
}

export function mayCoApply(state: LifecycleState, actor: { land: Land }): Rejection | undefined {
  const refused = checkConferencePhase(state);
  if (refused) return refused;
  const conference = state.initiative.conference;
  if (!conference || conference.status === 'decided')
    return new Rejection(FailureType.Conflict, 'The conference has decided already.');
  if (isPartner(actor.land))
    return new Rejection(FailureType.Conflict, `${actor.land} is a partner and applies anyway.`);
  if (conference.applicants.includes(actor.land))
    return new Rejection(FailureType.Conflict, `${actor.land} is an applicant already.`);
  return undefined;
}

export function applyCoApplication(
  state: LifecycleState,
  command: CoApplicationCommand,
  now: string,
): Transition {
  return change(state, now, (c) => {
    const conference = state.initiative.conference;
    if (!conference) throw new Error('no conference state'); // excluded by mayCoApply
    const land = command.actor.land;
    conference.applicants.push(land);
    c.emit('coapplicant_joined', command.actor, { conference: conference.key, land });
  });
}

export function mayDecideConference(state: LifecycleState): Rejection | undefined {
  const refused = checkConferencePhase(state);
  if (refused) return refused;
  if (state.initiative.conference?.status !== 'registered')
    return new Rejection(
      FailureType.Conflict,
      'The agenda item has not been registered yet: the conference decides after the registration.',
    );
  return undefined;
}

/**
 * Why a decision's votes do not fit the conference (400 with `errors`), or undefined: members only, each
 * once; the outcome must agree with the rule; protocol declarations by members. The API asks it before the
 * Update (to answer with the `errors`), the workflow again as the Update's payload check.
 */
export function decisionRefusal(
  conference: ConferenceSetup,
  command: Pick<ConferenceDecisionCommand, 'decision' | 'votes' | 'koenigstein' | 'protocolDeclarations'>,
): Rejection | undefined {
  const errors: { path: string; message: string }[] = [];
  const members = new Set<string>(votingMembers(conference));
  (command.protocolDeclarations ?? []).forEach((declaration, index) => {
    if (!members.has(declaration.land))
      errors.push({
        path: `body/protocolDeclarations/${index}/land`,
        message: `${declaration.land} is not a member of the ${conference.name}`,
      });
  });
  const { votes } = command;
  if (votes) {
    for (const error of voteErrors(conference, votes))
      errors.push({ path: `body/votes/${error.path}`, message: error.message });
    if (errors.length === 0 && command.decision !== 'postponed') {
      const rule = conference.rule;
      if (rule.type === 'bund_and_min_laender' && !command.koenigstein)
        return new Rejection(
          FailureType.Conflict,
          'No Königsteiner Schlüssel for the decision year or before: an admin must add one (PUT /v1/koenigstein).',
        );
      const outcome = evaluateRule(conference, rule, votes, command.koenigstein);
      if (outcome.met !== (command.decision === 'adopted'))
        errors.push({
          path: 'body/votes',
          message: `${command.decision} contradicts the votes: ${outcome.explanation}`,
        });
    }
  }
  if (errors.length === 0) return undefined;
  return new Rejection(
    FailureType.InvalidInput,
    `The decision does not fit the ${conference.name}: ${errors.map((e) => e.message).join('; ')}.`,
    errors,
  );
}

export function checkConferenceDecision(
  state: LifecycleState,
  command: ConferenceDecisionCommand,
): Rejection | undefined {
  const conference = state.initiative.conference;
  return conference ? decisionRefusal(conference, command) : undefined;
}

export function applyConferenceDecision(
  state: LifecycleState,
  command: ConferenceDecisionCommand,
  now: string,
): Transition {
  return change(state, now, (c) => {
    const conference = state.initiative.conference;
    if (!conference) throw new Error('no conference state'); // excluded by mayDecideConference
    const { actor, decision, decidedOn, votes, resolutionNumber, protocolDeclarations } = command;
    const recorded = {
      ...(votes ? { votes } : {}),
      ...(resolutionNumber === undefined ? {} : { resolutionNumber }),
      ...(protocolDeclarations ? { protocolDeclarations } : {}),
    };
    if (decision === 'postponed') {
      const from = conference.session ?? null;
      conference.postponements += 1;
      book(c, command.nextSession ?? null);
      c.emit('conference_decided', actor, {
        conference: conference.key,
        decision,
        decidedOn,
        from,
        to: conference.session,
        ...recorded,
      });
      return;
    }
    conference.status = 'decided';
    conference.decision = decision;
    conference.decidedOn = decidedOn;
    Object.assign(conference, recorded);
    c.emit('conference_decided', actor, { conference: conference.key, decision, decidedOn, ...recorded });
    finish(c, decision, 'conference', actor);
  });
}

export function mayBookConference(state: LifecycleState): Rejection | undefined {
  const refused = checkConferencePhase(state);
  if (refused) return refused;
  const conference = state.initiative.conference;
  if (conference?.status !== 'registered' || conference.session)
    return new Rejection(
      FailureType.Conflict,
      'The motion needs no booking: it is not registered, or booked already.',
    );
  return undefined;
}

export function applyConferenceBooking(
  state: LifecycleState,
  command: ConferenceBookingCommand,
  now: string,
): Transition {
  return change(state, now, (c) => {
    book(c, command.session);
    c.emit('conference_session_booked', command.actor, {
      conference: state.initiative.conference?.key,
      session: command.session,
    });
  });
}
