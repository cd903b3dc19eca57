/**
 * The shared path of every command on an existing initiative (docs/api.md's precedence):
 * 404 unreadable → 403 not allowed → idempotency (replay / 422 / 409 running) → 409 closed → the update.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyStore } from '../db/idempotency.js';
import type { InitiativeRepository } from '../db/initiatives.js';
import type { ActingPrincipal, Initiative } from '../workflows/contracts.js';
import type { Command, CommandContext } from '../workflows/commands/define.js';
import { actingRole } from '../workflows/commands/rules.js';
import { isTerminal, type Land, type Role } from '../workflows/domain.js';
import { Rejection } from '../workflows/lifecycle/frame.js';
import { authorise, visibilityOf } from './access.js';
import { idempotent, type CommandResult, type Execution } from './idempotency.js';
import { HttpProblem, badRequest, conflict, notFound, problemOfFailure } from './problems.js';
import type { WorkflowGateway } from './temporal.js';

export interface CommandDependencies {
  /** What a catalogue entry's `payload` may consult (the plenary calendar, the lead days). */
  context: CommandContext;
  initiatives: InitiativeRepository;
  idempotency: IdempotencyStore;
  workflows: WorkflowGateway;
  /** Drops this process's cached copy of an initiative a command has just changed. */
  forgetCached?: (id: string) => void;
}

/** Entity tags are the version in quotes. */
export const etagOf = (initiative: Initiative) => `"${initiative.version}"`;

export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!match?.[1])
    throw badRequest('If-Match must be an entity tag such as "3".', [
      { path: 'headers/if-match', message: 'must look like "3"' },
    ]);
  return Number(match[1]);
}

export function acting(request: FastifyRequest, role: Role): ActingPrincipal {
  const { sub, name, land, ressort } = request.principal;
  return { sub, name, land, role, ...(ressort === undefined ? {} : { ressort }) };
}

/** A catalogue entry's own refusal (e.g. no plenary session to book) as the problem it stands for. */
function refusedAsProblem(error: unknown): never {
  if (error instanceof Rejection) throw problemOfFailure(error.type, error.message, error.errors) ?? error;
  throw error;
}

/** Sends a command's result: the initiative with its ETag, or the stored problem of a replayed refusal. */
export function sendResult(reply: FastifyReply, result: CommandResult<unknown>) {
  if (result.status >= 400)
    return reply.code(result.status).type('application/problem+json').send(result.body);
  const initiative = result.body as Initiative;
  void reply.code(result.status).header('etag', etagOf(initiative));
  if (result.status === 201) void reply.header('location', `/v1/initiatives/${initiative.id}`);
  return reply.send(initiative);
}

/** A catalogue entry's request: the validated body and the path's `{land}`, if it has one. */
export interface CommandRequest {
  body: unknown;
  land: Land | undefined;
}

export function createCommandRunner({
  context,
  initiatives,
  idempotency,
  workflows,
  forgetCached,
}: CommandDependencies) {
  async function readable(request: FastifyRequest, id: string): Promise<Initiative> {
    const initiative = await initiatives.get(id, visibilityOf(request.principal));
    if (!initiative) throw notFound();
    return initiative;
  }

  /**
   * Runs `command` on initiative `id` and returns its result; refusals throw as HttpProblems. A request's
   * own command runs under its Idempotency-Key and If-Match; one of several commands a single request
   * issues (a joint cabinet session, api/routes/formats.ts) passes `batch`: no If-Match, and its Update id
   * instead of the key, so that a repeated request repeats no change.
   */
  async function execute(
    request: FastifyRequest,
    id: string,
    command: Command,
    { body, land }: CommandRequest,
    batch?: { updateId: string },
  ): Promise<CommandResult<unknown>> {
    const initiative = await readable(request, id);
    const { principal } = request;
    authorise(command.who, principal, initiative, land ?? principal.land);
    const input = { body, land, initiative, context };
    const version = batch ? undefined : expectedVersion(request);
    // The workflow of a closed initiative has ended: answer from the read model without asking it.
    const refuseIfClosed = () => {
      if (isTerminal(initiative.phase) && !command.afterClose)
        throw conflict(`The initiative is ${initiative.phase}; nothing changes any more.`);
    };
    // A reused key with another body (422) ranks after 409 and 412: the read model knows both.
    const refuseBeforeMismatch = () => {
      refuseIfClosed();
      if (version !== undefined && version !== initiative.version)
        throw new HttpProblem(
          412,
          `If-Match names version ${version}, the initiative is at version ${initiative.version}.`,
        );
    };
    const perform = async (execution: Execution): Promise<CommandResult<unknown>> => {
      // A retry whose first attempt may have closed the initiative asks Temporal, which replays the
      // outcome of an Update it completed (same id) even after the run has ended.
      if (!execution.resumed) refuseIfClosed();
      const payload = {
        ...(command.http?.payload
          ? await Promise.resolve(input).then(command.http.payload).catch(refusedAsProblem)
          : { ...(body as object), ...(land === undefined ? {} : { land }) }),
        actor: acting(request, actingRole(command.who, principal)),
        ...(version === undefined ? {} : { expectedVersion: version }),
      };
      let updated: Initiative;
      try {
        updated = await workflows.update(id, command.update, payload, execution.updateId);
      } catch (error) {
        // Only a definite refusal undoes preparations; after a 503 the command may still have happened.
        if (error instanceof HttpProblem && error.status < 500) await command.http?.onRefused?.(input);
        throw error;
      }
      await command.http?.onAccepted?.(input);
      return { status: 200, body: updated };
    };
    return (
      batch
        ? perform({ updateId: batch.updateId, initiativeId: null, resumed: false })
        : idempotent(idempotency, request, perform, undefined, refuseBeforeMismatch)
    ).finally(() => {
      // The change's NOTIFY normally got here first, but nothing orders it before this answer: a GET that
      // follows the answer must not be served the version before it (read-your-writes).
      forgetCached?.(id);
    });
  }

  async function run(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    command: Command,
    commandRequest: CommandRequest,
  ) {
    return sendResult(reply, await execute(request, id, command, commandRequest));
  }

  return { readable, execute, run };
}
export type CommandRunner = ReturnType<typeof createCommandRunner>;
