/** The Bundesrat stage: submission, committee referral, the plenary's decision and session bookings. */
import type {
  CommandBase,
  DeadlineRequest,
  LifecycleState,
  PlenaryDecision,
  PlenarySessionRef,
  Procedure,
} from '../contracts.js';
import { FailureType } from '../contracts.js';
import { addDays } from '../../lib/dates.js';
import { recomputeForwarding } from './art76.js';
import { Rejection, change, type Change, type Transition } from './frame.js';
import { checkPhase, dropDeadlines, finish } from './state.js';

/** The API books the session from the plenary calendar (data the workflow cannot read). */
export interface SubmissionCommand extends CommandBase {
  drucksache: string;
  submittedOn: string;
  procedure: Procedure;
  session: PlenarySessionRef;
  /** The submission named the session (issue 19). */
  chosen?: boolean;
  /** Art. 76(3) GG flags of a bill (issue 19). */
  urgent?: boolean;
  constitutional?: boolean;
}
export interface ReferralCommand extends CommandBase {
  committees: string[];
  leadCommittee: string;
}
export interface PlenaryDecisionCommand extends CommandBase {
  decision: PlenaryDecision;
  decidedOn: string;
  /** Adopted with changes (nach Maßgabe); only with `adopted` (issue 19). */
  withChanges?: boolean;
  /** `N/YY(B)`: the Drucksache with (B) (issue 19). */
  decisionNumber?: string;
  /** For `postponed`: the next session of the calendar, or null past its end. */
  nextSession?: PlenarySessionRef | null;
}
/** After the calendar was extended: books an initiative that had fallen past the calendar's end. */
export interface BookingCommand extends CommandBase {
  session: PlenarySessionRef;
}

/** Art. 76(3) GG: the federal government forwards a Bundesrat bill within six weeks (estimated from the decision). */
const FORWARDING_DAYS = 42;

export const checkBundesratPhase = (state: LifecycleState): Rejection | undefined =>
  checkPhase(state, 'bundesrat', 'Bundesrat events are recorded');

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

/**
 * Whether the liaison's reminder runs: once a referral exists or the procedure is `immediate`, not while a
 * committee motion still waits for its referral (runs before the `fidelity-rules` patch: always).
 */
function remindsLiaison(state: LifecycleState): boolean {
  const bundesrat = state.initiative.bundesrat;
  return state.legacy === true || bundesrat?.procedure !== 'committee' || bundesrat.status !== 'submitted';
}

/** Books `session` (none: past the calendar's end) and restarts the liaison's reminder from it. */
export function rebook(c: Change, session: PlenarySessionRef | null): void {
  book(c, session);
}

function book(c: Change, session: PlenarySessionRef | null): void {
  const bundesrat = c.state.initiative.bundesrat;
  if (!bundesrat) return;
  bundesrat.plenarySession = session;
  dropDeadlines(c.state, 'plenary');
  if (session && remindsLiaison(c.state)) c.deadlineRequests.push(plenaryReminder(c.state, session));
}

export function maySubmit(state: LifecycleState): Rejection | undefined {
  const bundesrat = state.initiative.bundesrat;
  return (
    checkBundesratPhase(state) ??
    (bundesrat?.status === 'preparing'
      ? undefined
      : new Rejection(
          FailureType.Conflict,
          `The motion has been submitted already (Drucksache ${bundesrat?.drucksache ?? '?'}).`,
        ))
  );
}

/** Art. 76(3) GG's flags belong to a bill (400 on a resolution). */
export function checkSubmission(state: LifecycleState, command: SubmissionCommand): Rejection | undefined {
  if ((command.urgent || command.constitutional) && state.initiative.instrument !== 'gesetzesantrag')
    return new Rejection(
      FailureType.InvalidInput,
      'Only a bill (Gesetzesantrag) is marked urgent or constitutional (Art. 76(3) GG).',
    );
  return undefined;
}

export function applySubmission(
  state: LifecycleState,
  command: SubmissionCommand,
  now: string,
  patchedRun = true,
): Transition {
  return change(state, now, (c) => {
    const bundesrat = state.initiative.bundesrat;
    if (!bundesrat) throw new Error('no bundesrat state'); // excluded by maySubmit
    bundesrat.status = 'submitted';
    bundesrat.drucksache = command.drucksache;
    bundesrat.procedure = command.procedure;
    bundesrat.submittedOn = command.submittedOn;
    const flags = patchedRun
      ? {
          ...(command.urgent ? { urgent: true } : {}),
          ...(command.constitutional ? { constitutional: true } : {}),
          ...(command.chosen ? { sessionChosen: true } : {}),
        }
      : {};
    Object.assign(bundesrat, flags);
    book(c, command.session);
    c.emit('bundesrat_submitted', command.actor, {
      drucksache: command.drucksache,
      procedure: command.procedure,
      submittedOn: command.submittedOn,
      plenarySession: command.session,
      ...flags,
    });
  });
}

export function mayRefer(state: LifecycleState): Rejection | undefined {
  const refused = checkBundesratPhase(state);
  if (refused) return refused;
  const bundesrat = state.initiative.bundesrat;
  if (bundesrat?.status === 'preparing')
    return new Rejection(FailureType.Conflict, 'The motion has not been submitted yet.');
  if (bundesrat?.status !== 'submitted')
    return new Rejection(FailureType.Conflict, 'The motion has been referred already.');
  return undefined;
}

export function applyReferral(state: LifecycleState, command: ReferralCommand, now: string): Transition {
  return change(state, now, (c) => {
    const bundesrat = state.initiative.bundesrat;
    if (!bundesrat) throw new Error('no bundesrat state'); // excluded by mayRefer
    // Immediate, then referred (docs/domain.md#bundesrat): the plenary referred the motion after all. Its
    // reminder runs since the submission already; the procedure becomes committee.
    const wasImmediate = bundesrat.procedure === 'immediate';
    bundesrat.status = 'referred';
    bundesrat.procedure = 'committee';
    bundesrat.committees = command.committees;
    bundesrat.leadCommittee = command.leadCommittee;
    // The reminder waits for the referral (docs/domain.md#bundesrat): it starts now, from the booked session.
    const session = bundesrat.plenarySession;
    if (!state.legacy && session && !wasImmediate) c.deadlineRequests.push(plenaryReminder(state, session));
    c.emit('bundesrat_referred', command.actor, {
      committees: command.committees,
      leadCommittee: command.leadCommittee,
      ...(wasImmediate ? { fromProcedure: 'immediate' } : {}),
    });
  });
}

export function mayDecidePlenary(state: LifecycleState): Rejection | undefined {
  const refused = checkBundesratPhase(state);
  if (refused) return refused;
  const bundesrat = state.initiative.bundesrat;
  if (bundesrat?.status === 'preparing')
    return new Rejection(FailureType.Conflict, 'The motion has not been submitted yet.');
  if (bundesrat?.procedure === 'committee' && bundesrat.status !== 'referred')
    return new Rejection(
      FailureType.Conflict,
      'Under the committee procedure the plenary decides after the referral.',
    );
  return undefined;
}

/** A decision number must be the motion's Drucksache with (B) (400). */
export function checkPlenaryDecision(
  state: LifecycleState,
  command: PlenaryDecisionCommand,
): Rejection | undefined {
  const drucksache = state.initiative.bundesrat?.drucksache ?? '?';
  if (command.decisionNumber !== undefined && command.decisionNumber !== `${drucksache}(B)`)
    return new Rejection(
      FailureType.InvalidInput,
      `The decision number is the Drucksache with (B): ${drucksache}(B), not ${command.decisionNumber}.`,
    );
  if (command.withChanges && command.decision !== 'adopted')
    return new Rejection(FailureType.InvalidInput, 'Only an adoption is made with changes (nach Maßgabe).');
  return undefined;
}

/**
 * Runs without the `fidelity-bundesrat` patch estimate `forwardingDueOn` as decision + 42 days and keep no
 * decision number; patched runs apply Art. 76(3) GG's rule (art76.ts) and record the number and changes.
 */
export function applyPlenaryDecision(
  state: LifecycleState,
  command: PlenaryDecisionCommand,
  now: string,
  patchedRun = true,
): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const bundesrat = initiative.bundesrat;
    if (!bundesrat) throw new Error('no bundesrat state'); // excluded by mayDecidePlenary
    const { actor, decision, decidedOn } = command;
    if (decision === 'postponed') {
      const from = bundesrat.plenarySession;
      bundesrat.postponements += 1;
      book(c, command.nextSession ?? null);
      c.emit('plenary_decided', actor, { decision, decidedOn, from, to: bundesrat.plenarySession });
      return;
    }
    bundesrat.status = 'decided';
    bundesrat.decision = decision;
    bundesrat.decidedOn = decidedOn;
    if (!patchedRun) {
      if (decision === 'adopted' && initiative.instrument === 'gesetzesantrag')
        bundesrat.forwardingDueOn = addDays(decidedOn, FORWARDING_DAYS);
    } else {
      if (command.decisionNumber !== undefined) bundesrat.decisionNumber = command.decisionNumber;
      if (command.withChanges) bundesrat.withChanges = true;
      recomputeForwarding(bundesrat, initiative.instrument);
    }
    c.emit('plenary_decided', actor, {
      decision,
      decidedOn,
      ...(bundesrat.decisionNumber === undefined ? {} : { decisionNumber: bundesrat.decisionNumber }),
      ...(bundesrat.withChanges ? { withChanges: true } : {}),
      ...(bundesrat.forwardingDueOn === undefined ? {} : { forwardingDueOn: bundesrat.forwardingDueOn }),
      ...(bundesrat.forwarding === undefined ? {} : { forwarding: bundesrat.forwarding }),
    });
    finish(c, decision, 'bundesrat', actor);
  });
}

export function mayBook(state: LifecycleState): Rejection | undefined {
  const refused = checkBundesratPhase(state);
  if (refused) return refused;
  const bundesrat = state.initiative.bundesrat;
  if (bundesrat?.status === 'preparing' || bundesrat?.plenarySession)
    return new Rejection(
      FailureType.Conflict,
      'The motion needs no booking: it is not submitted, or booked already.',
    );
  return undefined;
}

export function applyBooking(state: LifecycleState, command: BookingCommand, now: string): Transition {
  return change(state, now, (c) => {
    book(c, command.session);
    c.emit('session_booked', command.actor, { plenarySession: command.session });
  });
}
