/**
 * The shared path of every command on an existing initiative (api.md's precedence):
 * 404 unreadable → 403 not allowed → idempotency (replay / 422 / 409 running) → 409 closed → the update.
 */
import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyStore } from '../db/idempotency.js';
import type { InitiativeRepository } from '../db/initiatives.js';
import type { ActingPrincipal, Initiative } from '../workflows/contracts.js';
import { isTerminal, type Role } from '../workflows/domain.js';
import { visibilityOf } from './access.js';
import { idempotent, type CommandResult } from './idempotency.js';
import { HttpProblem, badRequest, conflict, notFound } from './problems.js';
import type { WorkflowGateway } from './temporal.js';

export interface CommandDependencies {
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
  const { sub, name, land } = request.principal;
  return { sub, name, land, role };
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

export interface CommandSpec<Arg> {
  /** Throws 403 (or 409 for what the read model already shows cannot fit). */
  authorise: (initiative: Initiative) => void;
  update: UpdateDefinition<Initiative, [Arg]>;
  /** The command's payload, without `expectedVersion` (added from If-Match). */
  arg: (initiative: Initiative) => Arg | Promise<Arg>;
  /** Runs after a refusal, e.g. to give back a reservation made by `arg`. */
  onRefused?: (initiative: Initiative) => Promise<void>;
}

export function createCommandRunner({
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

  async function run<Arg>(request: FastifyRequest, reply: FastifyReply, id: string, spec: CommandSpec<Arg>) {
    const initiative = await readable(request, id);
    spec.authorise(initiative);
    const version = expectedVersion(request);
    // The workflow of a closed initiative has ended: answer from the read model without asking it.
    const refuseIfClosed = () => {
      if (isTerminal(initiative.phase))
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
    const result = await idempotent(
      idempotency,
      request,
      async (execution) => {
        // A retry whose first attempt may have closed the initiative asks Temporal, which replays the
        // outcome of an Update it completed (same id) even after the run has ended.
        if (!execution.resumed) refuseIfClosed();
        const payload = {
          ...(await spec.arg(initiative)),
          ...(version === undefined ? {} : { expectedVersion: version }),
        };
        try {
          return { status: 200, body: await workflows.update(id, spec.update, payload, execution.updateId) };
        } catch (error) {
          // Only a definite refusal undoes preparations; after a 503 the command may still have happened.
          if (error instanceof HttpProblem && error.status < 500) await spec.onRefused?.(initiative);
          throw error;
        }
      },
      undefined,
      refuseBeforeMismatch,
    ).finally(() => {
      // The change's NOTIFY normally got here first, but nothing orders it before this answer: a GET that
      // follows the answer must not be served the version before it (read-your-writes).
      forgetCached?.(id);
    });
    return sendResult(reply, result);
  }

  return { readable, run };
}
export type CommandRunner = ReturnType<typeof createCommandRunner>;
