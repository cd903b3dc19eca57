/**
 * The API's side of Temporal: starting initiative workflows and sending commands as Workflow Updates,
 * with Temporal's errors turned into HTTP problems.
 */
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { creationUpdate, type Initiative, type InitiativeInput } from '../workflows/contracts.js';
import type { UpdateDefinition } from '@temporalio/common';
import { conflict, problemOfFailure, unavailable } from './problems.js';

/** How long the API waits for a command's outcome before answering 503 (outcome unknown, retry). */
const COMMAND_TIMEOUT_MS = 20_000;

/** gRPC UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, broken-off Updates, transport errors. */
export function isTemporalUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    // The Update's call broke off (e.g. the server went away mid-call): its outcome is unknown.
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    const code = (e as { code?: unknown }).code;
    if (code === 14 || code === 4 || code === 8) return true;
    // FAILED_PRECONDITION while a crashed Workflow Task is retried: the Update was not admitted, try again.
    if (code === 9 && /workflow task in failed state/i.test(e.message)) return true;
    if (
      e.name === 'TransportError' ||
      /failed to connect|transport error|connection refused/i.test(e.message)
    )
      return true;
  }
  return false;
}

function toProblem(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const problem = problemOfFailure(error.cause.type ?? '', error.cause.message);
    if (problem) return problem;
  }
  if (error instanceof WorkflowNotFoundError)
    return conflict('The initiative is closed; nothing changes any more.');
  if (isTemporalUnavailable(error)) return unavailable('Temporal');
  return error;
}

/**
 * A fresh reference met a workflow Temporal already holds (a fresh database against kept Temporal state,
 * or two deployments in one namespace): the create moves on to the next reference.
 */
export class ReferenceTaken extends Error {
  constructor(readonly reference: string) {
    super(`workflow ${reference} exists already in Temporal`);
  }
}

export interface WorkflowGateway {
  /** `resumed`: a retry of a create whose workflow may exist already (same Idempotency-Key). */
  start(resumed: boolean, input: InitiativeInput): Promise<Initiative>;
  update<Arg>(
    initiativeId: string,
    update: UpdateDefinition<Initiative, [Arg]>,
    arg: Arg,
    updateId?: string,
  ): Promise<Initiative>;
  ping(): Promise<void>;
}

export function createWorkflowGateway(
  client: Client,
  taskQueue: string,
  commandTimeoutMs = COMMAND_TIMEOUT_MS,
): WorkflowGateway {
  const withDeadline = <T>(fn: () => Promise<T>) =>
    client.connection.withDeadline(Date.now() + commandTimeoutMs, fn);
  return {
    async start(resumed, input) {
      try {
        return await withDeadline(async () => {
          try {
            await client.workflow.start('initiativeWorkflow', {
              workflowId: input.id,
              taskQueue,
              args: [input],
              // A reference names one initiative for ever: never a second run under the same id.
              workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            });
          } catch (error) {
            // A retried create (same Idempotency-Key) finds its workflow already running: carry on. A fresh
            // reference that meets an existing workflow belongs to someone else: the caller takes the next.
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
            if (!resumed) throw new ReferenceTaken(input.id);
          }
          return client.workflow.getHandle(input.id).executeUpdate(creationUpdate, { updateId: 'created' });
        });
      } catch (error) {
        throw toProblem(error);
      }
    },
    async update(initiativeId, update, arg, updateId) {
      try {
        return await withDeadline(() =>
          client.workflow
            .getHandle(initiativeId)
            .executeUpdate(update, { args: [arg], ...(updateId ? { updateId } : {}) }),
        );
      } catch (error) {
        throw toProblem(error);
      }
    },
    async ping() {
      await client.connection.withDeadline(Date.now() + 2000, () => client.workflowService.getSystemInfo({}));
    },
  };
}
