/**
 * One workflow per initiative (workflow id = initiative id). Commands arrive as Workflow Updates whose
 * validators run the pure checks of the command catalogue (commands/), so a command that does not fit the state never enters
 * history. Every change is persisted (read model + audit trail) by an activity before the update returns,
 * which is what gives the API read-your-writes.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  log,
  patched,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { COMMANDS, refusal } from './commands/index.js';
import type { Command } from './commands/define.js';
import {
  FailureType,
  creationUpdate,
  stateQuery,
  type AuditEventDraft,
  type CommandBase,
  type Initiative,
  type InitiativeInput,
} from './contracts.js';
import { isTerminal } from './domain.js';
import { Rejection, type Transition } from './lifecycle/frame.js';
import { createState } from './lifecycle/state.js';
import { applyDeadlines, applyTimer, nextTimer } from './lifecycle/timers.js';
import { notificationWorkflow } from './notifications.js';

type Activities = ReturnType<typeof createActivities>;

/**
 * Version marker: from this change on, initiatives carry a motion text (docs/texts.md). Asked only when a
 * payload carries text fields, which no run started before it did, so their histories replay unchanged.
 */
const TEXTS_PATCH = 'texts-versions';

/** A payload's text fields: the create input's and a revision's `text`, a review's binding and remarks. */
const TEXT_FIELDS = ['text', 'textVersion', 'remarks'] as const;

/** The payload as this run handles it: its text fields only from the patch on. */
function textsPatched<T extends object>(payload: T): T {
  if (!TEXT_FIELDS.some((field) => field in payload) || patched(TEXTS_PATCH)) return payload;
  const kept = { ...payload } as Record<string, unknown>;
  for (const field of TEXT_FIELDS) delete kept[field];
  return kept as T;
}

/**
 * Version marker: from this change on, initiatives take attachments (docs/texts.md). Asked only by the
 * attachment commands' handlers, which no run started before it ever received.
 */
const ATTACHMENTS_PATCH = 'texts-attachments';
const ATTACHMENT_UPDATES: ReadonlySet<string> = new Set(['attach', 'withdrawAttachment']);

/** Version marker: from this change on, persisted changes may start a notification workflow. */
const WEBHOOK_NOTIFICATIONS_PATCH = 'webhook-notifications';
/**
 * Version marker (issue 19): terminal phases close pending invitations, the liaison's reminder waits for
 * the referral. Runs started before keep the old behaviour (`LifecycleState.legacy`).
 */
const FIDELITY_RULES_PATCH = 'fidelity-rules';

/**
 * Version marker (issue 19): a Bundesrat motion's run stays open after its terminal phase, for corrections
 * and the follow-up (commands with `afterClose`).
 */
const AFTER_CLOSE_PATCH = 'fidelity-after-close';

/**
 * Version marker: from this change on, an initiative may have a lead Ressort, whose proposers may revise and
 * withdraw it (workflows/commands/rules.ts). Asked only when the input names one, which inputs of earlier
 * runs never do; without a lead Ressort the rules are those of before (only the proposer revises, so the
 * proposer is the only author four-eyes has to keep out).
 */
const LEAD_RESSORT_PATCH = 'ressorts-lead-ressort';

/**
 * Version marker (issue 15): channel `laenderkreis` and its `conference` stage (docs/laenderkreis.md). Asked
 * only when the input names a conference, which no input of an earlier run does; such runs go from joint
 * approval into phase `conference` (lifecycle/state.ts, conference-stage.ts).
 */
const LAENDERKREIS_PATCH = 'laenderkreis-conference-stage';

/**
 * Version marker (issue 18): from this change on, an initiative may name the format it was started from
 * (`originFormat`) and the practices it is based on (`basedOn`). Asked only when the input names one,
 * which inputs of earlier runs never do, so their histories replay unchanged.
 */
const ORIGINS_PATCH = 'platform-origins';

/** The input as this run handles it: its origins only from the patch on. */
function originsPatched(input: InitiativeInput): InitiativeInput {
  if (input.originFormat === undefined && input.basedOn === undefined) return input;
  if (patched(ORIGINS_PATCH)) return input;
  const kept = { ...input };
  delete kept.originFormat;
  delete kept.basedOn;
  return kept;
}

// Persisting retries without limit: a database outage delays the answer, it never drops a change.
const { persistChange } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

// Deadline arithmetic needs the holiday calendar; as a local activity its answer is recorded in history,
// so replays do not depend on the holiday library's version.
const { computeDeadlines } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  // A malformed period fails the same way on every attempt (the API refuses them; this is the backstop).
  retry: { maximumInterval: '5 seconds', nonRetryableErrorTypes: ['RangeError'] },
});

const nowIso = (): string => new Date(Date.now()).toISOString();
const snapshot = (initiative: Initiative): Initiative => JSON.parse(JSON.stringify(initiative)) as Initiative;

function reject(rejection: Rejection | undefined): void {
  if (rejection)
    throw ApplicationFailure.create({ type: rejection.type, message: rejection.message, nonRetryable: true });
}

export async function initiativeWorkflow(input: InitiativeInput): Promise<Initiative> {
  const leadRessort = input.leadRessort && patched(LEAD_RESSORT_PATCH) ? input.leadRessort : null;
  if (input.conference && !patched(LAENDERKREIS_PATCH))
    throw ApplicationFailure.nonRetryable(
      'A laenderkreis initiative needs the laenderkreis-conference-stage patch.',
    );
  const created = createState(textsPatched(originsPatched({ ...input, leadRessort })), nowIso());
  const { state } = created;
  if (!patched(FIDELITY_RULES_PATCH)) state.legacy = true;

  /** Bumped on every mutation; the timer loop re-plans when it moves. */
  let changes = 0;
  let deadlinesInFlight = 0;
  let unpersistedEvents: AuditEventDraft[] = [];
  let persisted: Initiative | undefined;
  let persistQueue: Promise<void> = Promise.resolve();
  /** Child starts in flight; the run awaits them before it closes. */
  const notifications: Promise<void>[] = [];

  async function computeFor(transition: Transition): Promise<void> {
    const requests = transition.deadlineRequests;
    if (requests.length === 0) return;
    const revision = state.initiative.revision;
    deadlinesInFlight += 1;
    try {
      const computed = await computeDeadlines({ from: nowIso(), requests });
      applyDeadlines(state, requests, computed, revision);
    } finally {
      deadlinesInFlight -= 1;
      changes += 1;
    }
  }

  /**
   * Persists everything changed so far. Steps run one after another, so audit events reach the database
   * in sequence order, and each step waits for outstanding deadline computations so that no state without
   * its due dates is ever stored.
   */
  function persist(): Promise<Initiative> {
    const step = persistQueue.then(async () => {
      await condition(() => deadlinesInFlight === 0);
      if (unpersistedEvents.length === 0 && persisted?.version === state.initiative.version) return;
      const events = unpersistedEvents;
      unpersistedEvents = [];
      const initiative = snapshot(state.initiative);
      const pendingDeliveries = await persistChange({ initiative, events });
      persisted = initiative;
      // Histories recorded before webhooks existed hold no result here, so they never reach this branch.
      if (pendingDeliveries > 0 && patched(WEBHOOK_NOTIFICATIONS_PATCH)) notify(events);
    });
    persistQueue = step.catch(() => undefined);
    return step.then(() => persisted ?? snapshot(state.initiative));
  }

  /** Starts the delivery of a change's notifications without making the command wait for it. */
  function notify(events: AuditEventDraft[]): void {
    const [first] = events;
    const last = events.at(-1);
    if (!first || !last) return;
    notifications.push(
      startChild(notificationWorkflow, {
        workflowId: `${input.id}/notifications/${first.seq}`,
        args: [{ initiativeId: input.id, fromSeq: first.seq, toSeq: last.seq }],
        // Deliveries outlive the initiative's run: a closed initiative still notifies its subscribers.
        parentClosePolicy: 'ABANDON',
      }).then(
        () => undefined,
        // E.g. already started after a reset: the deliveries stay in the log; the initiative goes on.
        (error: unknown) => log.warn('notification run not started', { error: String(error) }),
      ),
    );
  }

  async function record(transition: Transition): Promise<Initiative> {
    unpersistedEvents.push(...transition.events);
    changes += 1;
    await computeFor(transition);
    return persist();
  }

  setHandler(stateQuery, () => state);
  setHandler(creationUpdate, () => persist());

  /** A command of the catalogue: its validator keeps what does not fit out of history; its handler applies and persists. */
  function handle(command: Command): void {
    setHandler(
      command.update,
      (received: CommandBase) => {
        const payload = textsPatched(received);
        if (ATTACHMENT_UPDATES.has(command.update.name) && !patched(ATTACHMENTS_PATCH))
          reject(new Rejection(FailureType.Conflict, 'This initiative predates attachments.'));
        // Re-checked because the state may have moved since validation; mutation starts only after this.
        reject(refusal(command, state, payload));
        const patchedRun = command.patch === undefined || patched(command.patch);
        return record(command.apply(state, payload, nowIso(), patchedRun));
      },
      { validator: (payload: CommandBase) => reject(refusal(command, state, payload)) },
    );
  }
  for (const command of COMMANDS) handle(command);

  await record(created.transition);

  // The timer loop: sleep until the earliest deadline, or until a command changes the plan.
  while (!isTerminal(state.initiative.phase)) {
    const seen = changes;
    const timer = nextTimer(state);
    if (!timer) {
      await condition(() => changes !== seen);
      continue;
    }
    const wait = Date.parse(timer.at) - Date.now();
    if (wait > 0 && (await condition(() => changes !== seen, wait))) continue;
    await record(applyTimer(state, timer, nowIso()));
  }

  // A Bundesrat motion's recorded facts stay correctable, and its follow-up open, after the terminal phase:
  // the run waits for those commands (afterClose) instead of closing. Runs before the patch close.
  if (state.initiative.bundesrat && patched(AFTER_CLOSE_PATCH)) {
    await condition(() => false);
  }

  // Let in-flight updates return their answers before the run closes.
  await condition(allHandlersFinished);
  await persist();
  await Promise.all(notifications);
  return state.initiative;
}
