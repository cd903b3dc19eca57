/**
 * Corrections (docs/domain.md#corrections): a wrongly recorded Bundesrat fact or a cabinet decision's date is
 * put right by the role that recorded it, in any phase, terminal ones included. The phase never moves; the
 * derived dates (booking, `forwardingDueOn`) follow; the audit event keeps the old and the new value.
 */
import type {
  ActingPrincipal,
  BundesratState,
  CommandBase,
  LifecycleState,
  PlenarySessionRef,
} from '../contracts.js';
import { FailureType } from '../contracts.js';
import { recomputeForwarding } from './art76.js';
import { rebook } from './bundesrat.js';
import { Rejection, change, type Transition } from './frame.js';

/** What the liaison of the lead Land recorded. */
export const LIAISON_FIELDS = [
  'drucksache',
  'submittedOn',
  'procedure',
  'committees',
  'leadCommittee',
  'decidedOn',
  'decisionNumber',
] as const;
/** What a Land's State Chancellery recorded: its own cabinet decision's date. */
export const CABINET_FIELDS = ['cabinetDecidedOn'] as const;
export const CORRECTABLE_FIELDS = [...LIAISON_FIELDS, ...CABINET_FIELDS] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

export interface CorrectionCommand extends CommandBase {
  field: CorrectableField;
  /** The new value as sent: a date, a number, a procedure; committees as "In, R, Wi". */
  value: string;
  reason: string;
  /** For `submittedOn` on an undecided motion: the session the new date books (the API reads the calendar). */
  session?: PlenarySessionRef;
}

const isLiaisonField = (field: CorrectableField) => (LIAISON_FIELDS as readonly string[]).includes(field);

/** Committees as the correction's value carries them: abbreviations separated by commas. */
export const committeesOf = (value: string) =>
  value
    .split(',')
    .map((committee) => committee.trim())
    .filter((committee) => committee !== '');

const conflict = (message: string) => new Rejection(FailureType.Conflict, message);
const invalid = (message: string) => new Rejection(FailureType.InvalidInput, message);

/** Whether the actor has recorded anything it could correct (the allowed actions ask this). */
export function mayCorrect(state: LifecycleState, actor: ActingPrincipal): Rejection | undefined {
  const { initiative } = state;
  if (actor.role === 'cabinet')
    return initiative.cabinetDecisions.some((d) => d.land === actor.land && d.status !== 'pending')
      ? undefined
      : conflict(`${actor.land} has recorded no cabinet decision on this initiative.`);
  const status = initiative.bundesrat?.status;
  return status === undefined || status === 'preparing'
    ? conflict('No Bundesrat fact has been recorded yet.')
    : undefined;
}

/** The recorded value of `field`, or a Rejection when the fact has not been recorded. */
function recorded(state: LifecycleState, command: CorrectionCommand): string | Rejection {
  const { initiative } = state;
  if (command.field === 'cabinetDecidedOn') {
    const own = initiative.cabinetDecisions.find((d) => d.land === command.actor.land);
    return own?.decidedOn ?? conflict(`${command.actor.land} has recorded no cabinet decision.`);
  }
  const bundesrat = initiative.bundesrat;
  const value = bundesrat ? valueOf(bundesrat, command.field) : undefined;
  return value ?? conflict(`No ${command.field} has been recorded on this initiative.`);
}

function valueOf(bundesrat: BundesratState, field: CorrectableField): string | undefined {
  switch (field) {
    case 'committees':
      return bundesrat.committees?.join(', ');
    case 'cabinetDecidedOn':
      return undefined;
    default:
      return bundesrat[field];
  }
}

/** Who recorded the field (403), whether it was recorded (409), whether the value fits the record (400). */
export function checkCorrection(state: LifecycleState, command: CorrectionCommand): Rejection | undefined {
  const { field, actor } = command;
  if (isLiaisonField(field) ? actor.role !== 'liaison' : actor.role !== 'cabinet')
    return new Rejection(
      FailureType.Forbidden,
      isLiaisonField(field)
        ? `Only the liaison of the lead Land, who recorded it, corrects ${field}.`
        : `Only a cabinet principal corrects its own Land's cabinet decision date.`,
    );
  const current = recorded(state, command);
  if (current instanceof Rejection) return current;
  const bundesrat = state.initiative.bundesrat;
  switch (field) {
    case 'committees': {
      const committees = committeesOf(command.value);
      if (committees.join(', ') === current) return invalid(`The committees are ${current} already.`);
      if (bundesrat?.leadCommittee && !committees.includes(bundesrat.leadCommittee))
        return invalid(`The lead committee ${bundesrat.leadCommittee} must stay among the committees.`);
      return undefined;
    }
    case 'leadCommittee':
      if (!bundesrat?.committees?.includes(command.value))
        return invalid(`The lead committee must be one of ${bundesrat?.committees?.join(', ') ?? '?'}.`);
      break;
    case 'decisionNumber':
      if (command.value !== `${bundesrat?.drucksache ?? '?'}(B)`)
        return invalid(`The decision number is the Drucksache with (B): ${bundesrat?.drucksache ?? '?'}(B).`);
      break;
    case 'procedure':
      if (command.value === 'immediate' && bundesrat?.committees)
        return conflict('A referral to committees is recorded: the procedure stays committee.');
      break;
    default:
      break;
  }
  return command.value === current ? invalid(`${field} is ${current} already.`) : undefined;
}

export function applyCorrection(state: LifecycleState, command: CorrectionCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const { field, value, reason, actor } = command;
    const derived: Record<string, unknown> = {};
    if (field === 'cabinetDecidedOn') {
      const own = initiative.cabinetDecisions.find((d) => d.land === actor.land);
      const from = own?.decidedOn;
      if (own) own.decidedOn = value;
      c.emit('corrected', actor, { field, land: actor.land, from, to: value, reason });
      return;
    }
    const bundesrat = initiative.bundesrat;
    if (!bundesrat) throw new Error('no bundesrat state'); // excluded by checkCorrection
    const from = valueOf(bundesrat, field);
    switch (field) {
      case 'committees':
        bundesrat.committees = committeesOf(value);
        break;
      case 'procedure':
        bundesrat.procedure = value === 'immediate' ? 'immediate' : 'committee';
        // Whether the liaison's reminder runs depends on the procedure.
        if (bundesrat.status !== 'decided') rebook(c, bundesrat.plenarySession);
        break;
      case 'drucksache':
        bundesrat.drucksache = value;
        if (bundesrat.decisionNumber === `${from ?? ''}(B)`) {
          bundesrat.decisionNumber = `${value}(B)`;
          derived.decisionNumber = bundesrat.decisionNumber;
        }
        break;
      case 'submittedOn':
        bundesrat.submittedOn = value;
        if (command.session) {
          rebook(c, command.session);
          derived.plenarySession = command.session;
        }
        break;
      default:
        bundesrat[field] = value;
        break;
    }
    const forwardingBefore = bundesrat.forwardingDueOn;
    if (field === 'decidedOn') recomputeForwarding(bundesrat, initiative.instrument);
    if (bundesrat.forwardingDueOn !== forwardingBefore) derived.forwardingDueOn = bundesrat.forwardingDueOn;
    c.emit('corrected', actor, {
      field,
      from,
      to: field === 'committees' ? bundesrat.committees?.join(', ') : value,
      reason,
      ...derived,
    });
  });
}
