/**
 * The command catalogue: every command on an existing initiative, in the order front ends offer them.
 * Adding a command means adding an entry here (docs/architecture.md walks through it).
 */
import type { ActingPrincipal, CommandBase, LifecycleState } from '../contracts.js';
import { FailureType } from '../contracts.js';
import type { Land } from '../domain.js';
import { Rejection } from '../lifecycle/frame.js';
import { checkOpen, checkVersion } from '../lifecycle/state.js';
import { attach, withdrawAttachment } from './attachments.js';
import { book, decide, refer, submit } from './bundesrat.js';
import { followUp, recommend } from './bundesrat-refinements.js';
import { correct } from './corrections.js';
import { extend } from './deadlines.js';
import { bookConference, coApplyConference, decideConference, registerConference } from './conference.js';
import { erased, type Caller, type Command, type WhoMay } from './define.js';
import { accede, cabinet, invite, respond } from './participation.js';
import { review, revise, withdraw } from './review.js';
import { partnerLand, whoRefuses } from './rules.js';

export { book, decide, refer, submit, accede, cabinet, invite, respond, review, revise, withdraw };
export { attach, withdrawAttachment };
export { bookConference, coApplyConference, decideConference, registerConference };
export { extend, correct, recommend, followUp };

export const COMMANDS: readonly Command[] = [
  erased(review),
  erased(revise),
  erased(withdraw),
  erased(invite),
  erased(respond),
  erased(cabinet),
  erased(submit),
  erased(refer),
  erased(recommend),
  erased(decide),
  erased(followUp),
  erased(accede),
  erased(book),
  erased(extend),
  erased(attach),
  erased(withdrawAttachment),
  erased(registerConference),
  erased(coApplyConference),
  erased(decideConference),
  erased(bookConference),
  erased(correct),
];

/** Creating an initiative starts its workflow rather than updating one: it has no state to check. */
export const create: { action: 'create'; who: WhoMay<(caller: Caller) => string | undefined> } = {
  action: 'create',
  who: { roles: ['proposer'], what: 'creates initiatives', rules: [partnerLand('create initiatives')] },
};

/** What front ends can be offered: creating, and every command with a route. */
export const ACTIONS = [create.action, ...COMMANDS.filter((c) => c.http).map((c) => c.action)];

/** The actor as the who-may rules see a caller. */
const callerOf = (actor: ActingPrincipal): Caller => ({ ...actor, roles: [actor.role] });

/**
 * Why the workflow refuses `command`, or undefined: who may (the same rules the API applied), may the
 * actor act now, does the payload fit, and the `If-Match` version last.
 */
export function refusal(
  definition: Command,
  state: LifecycleState,
  command: CommandBase,
): Rejection | undefined {
  const { actor } = command;
  const about = (command as { land?: Land }).land ?? actor.land;
  const reason = whoRefuses(definition.who, callerOf(actor), state.initiative, about);
  if (reason) return new Rejection(FailureType.Forbidden, reason);
  return (
    definition.mayAct(state, actor) ??
    definition.checkPayload?.(state, command) ??
    (definition.afterClose
      ? checkVersion(state, command.expectedVersion)
      : checkOpen(state, command.expectedVersion))
  );
}
