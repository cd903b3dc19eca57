/**
 * The Bundesrat procedure as it really runs (docs/domain.md#bundesrat, issue 19): the committees'
 * recommendation after the referral (an adjournment moves the booking), and the follow-up of an adopted
 * bill under Art. 76(3) GG (receipt by the Federal Government, extension, forwarding, Bundestag Drucksache).
 */
import type {
  BundesratFollowUp,
  CommandBase,
  CommitteeRecommendation,
  LifecycleState,
  PlenarySessionRef,
} from '../contracts.js';
import { FailureType } from '../contracts.js';
import { recomputeForwarding } from './art76.js';
import { checkBundesratPhase, rebook } from './bundesrat.js';
import { Rejection, change, type Transition } from './frame.js';

export const RECOMMENDATIONS = ['adopt', 'adopt_with_changes', 'reject', 'adjourned'] as const;

export interface RecommendationCommand extends CommandBase, CommitteeRecommendation {
  /** For `adjourned`: the calendar's next session, or null past its end (the API reads the calendar). */
  nextSession?: PlenarySessionRef | null;
}

export interface FollowUpCommand extends CommandBase, BundesratFollowUp {}

/** The committees recommend once the motion is referred and until the plenary decides. */
export function mayRecommend(state: LifecycleState): Rejection | undefined {
  const refused = checkBundesratPhase(state);
  if (refused) return refused;
  return state.initiative.bundesrat?.status === 'referred'
    ? undefined
    : new Rejection(FailureType.Conflict, 'The committees recommend after the referral.');
}

/** The recommendation's number is the motion's Drucksache with /1/ (512/26 → 512/1/26). */
export const recommendationNumber = (drucksache: string) => drucksache.replace('/', '/1/');

export function checkRecommendation(
  state: LifecycleState,
  command: RecommendationCommand,
): Rejection | undefined {
  const expected = recommendationNumber(state.initiative.bundesrat?.drucksache ?? '?/?');
  return command.drucksache === expected
    ? undefined
    : new Rejection(
        FailureType.InvalidInput,
        `The recommendation's Drucksache is the motion's with /1/: ${expected}, not ${command.drucksache}.`,
      );
}

export function applyRecommendation(
  state: LifecycleState,
  command: RecommendationCommand,
  now: string,
): Transition {
  return change(state, now, (c) => {
    const bundesrat = state.initiative.bundesrat;
    if (!bundesrat) throw new Error('no bundesrat state'); // excluded by mayRecommend
    const { recommendation, drucksache, on, actor } = command;
    bundesrat.recommendations = [...(bundesrat.recommendations ?? []), { recommendation, drucksache, on }];
    const moved: Record<string, unknown> = {};
    if (recommendation === 'adjourned') {
      // An adjournment by the committees is not a plenary postponement: it has its own count.
      bundesrat.adjournments = (bundesrat.adjournments ?? 0) + 1;
      moved.from = bundesrat.plenarySession;
      rebook(c, command.nextSession ?? null);
      moved.to = bundesrat.plenarySession;
    }
    c.emit('committee_recommended', actor, { recommendation, drucksache, on, ...moved });
  });
}

/** The follow-up belongs to an adopted bill (terminal phase `adopted`). */
export function mayFollowUp(state: LifecycleState): Rejection | undefined {
  const { initiative } = state;
  if (initiative.instrument !== 'gesetzesantrag')
    return new Rejection(FailureType.Conflict, 'Only a bill (Gesetzesantrag) is forwarded to the Bundestag.');
  return initiative.bundesrat?.decision === 'adopted'
    ? undefined
    : new Rejection(FailureType.Conflict, 'The follow-up comes after the Bundesrat adopted the bill.');
}

export function checkFollowUp(state: LifecycleState, command: FollowUpCommand): Rejection | undefined {
  const bundesrat = state.initiative.bundesrat;
  const receivedOn = command.receivedOn ?? bundesrat?.followUp?.receivedOn;
  const decidedOn = bundesrat?.decidedOn ?? '';
  if (receivedOn !== undefined && receivedOn < decidedOn)
    return new Rejection(
      FailureType.InvalidInput,
      `The Federal Government cannot receive the bill (${receivedOn}) before its adoption on ${decidedOn}.`,
    );
  const forwardedOn = command.forwardedOn ?? bundesrat?.followUp?.forwardedOn;
  if (forwardedOn !== undefined && forwardedOn < (receivedOn ?? decidedOn))
    return new Rejection(
      FailureType.InvalidInput,
      `The bill cannot be forwarded (${forwardedOn}) before it was received or adopted.`,
    );
  return undefined;
}

const FOLLOW_UP_FIELDS = ['receivedOn', 'extended', 'forwardedOn', 'bundestagDrucksache'] as const;

export function applyFollowUp(state: LifecycleState, command: FollowUpCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const bundesrat = initiative.bundesrat;
    if (!bundesrat) throw new Error('no bundesrat state'); // excluded by mayFollowUp
    const followUp: BundesratFollowUp = { ...bundesrat.followUp };
    const set: Record<string, unknown> = {};
    for (const field of FOLLOW_UP_FIELDS) {
      const value = command[field];
      if (value === undefined) continue;
      Object.assign(followUp, { [field]: value });
      set[field] = value;
    }
    bundesrat.followUp = followUp;
    recomputeForwarding(bundesrat, initiative.instrument);
    c.emit('bundesrat_follow_up', command.actor, {
      ...set,
      ...(bundesrat.forwardingDueOn === undefined ? {} : { forwardingDueOn: bundesrat.forwardingDueOn }),
      ...(bundesrat.forwarding === undefined ? {} : { forwarding: bundesrat.forwarding }),
    });
  });
}
