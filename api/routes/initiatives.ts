/** /v1/initiatives: create, list, read, history and the review-phase commands. */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { nextReference, type IdempotencyStore } from '../../db/idempotency.js';
import type { Cursor, InitiativeRepository } from '../../db/initiatives.js';
import {
  revisionUpdate,
  reviewUpdate,
  withdrawalUpdate,
  type ActingPrincipal,
  type Initiative,
  type Periods,
} from '../../workflows/contracts.js';
import { isPartner, isTerminal, type Partner, type Role } from '../../workflows/domain.js';
import { authoriseCreate, authoriseProposerCommand, authoriseReview, visibilityOf } from '../access.js';
import { idempotent, type CommandResult, type Execution } from '../idempotency.js';
import { badRequest, conflict, notFound } from '../problems.js';
import {
  CreateInitiativeBody,
  HistorySchema,
  InitiativeList,
  InitiativeParams,
  ListQuery,
  ReviewBody,
  RevisionBody,
  WithdrawalBody,
} from '../schemas.js';
import type { WorkflowGateway } from '../temporal.js';
import type { UpdateDefinition } from '@temporalio/common';

export interface InitiativeRouteOptions {
  initiatives: InitiativeRepository;
  idempotency: IdempotencyStore;
  database: Database;
  workflows: WorkflowGateway;
  periods: Periods;
}

const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('Problem')]));
const NotModified = Type.Null({ description: 'Not modified: the If-None-Match tag is current' });
const commandHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'retry-safe key, kept 24 hours' })),
  'if-match': Type.Optional(Type.String({ description: 'the version the command expects, as "<version>"' })),
});

/** Entity tags are the version in quotes; `If-None-Match` may list several or `*`. */
const etagOf = (initiative: Initiative) => `"${initiative.version}"`;
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === etag.replace(/^W\//, '');
  });
}

function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!match?.[1])
    throw badRequest('If-Match must be an entity tag such as "3".', [
      { path: 'headers/if-match', message: 'must look like "3"' },
    ]);
  return Number(match[1]);
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}
function decodeCursor(text: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string')
      return { createdAt, id };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The cursor is not one this API handed out.', [
    { path: 'querystring/cursor', message: 'is not valid' },
  ]);
}

function acting(request: FastifyRequest, role: Role): ActingPrincipal {
  const { sub, name, land } = request.principal;
  return { sub, name, land, role };
}

function send(reply: FastifyReply, result: CommandResult<unknown>) {
  if (result.status >= 400)
    return reply.code(result.status).type('application/problem+json').send(result.body);
  const initiative = result.body as Initiative;
  void reply.code(result.status).header('etag', etagOf(initiative));
  if (result.status === 201) void reply.header('location', `/v1/initiatives/${initiative.id}`);
  return reply.send(initiative);
}

/** Berlin's calendar year: the year part of the reference. */
const berlinYear = () =>
  Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(new Date()));

export const initiativeRoutes: FastifyPluginAsyncTypebox<InitiativeRouteOptions> = async (app, options) => {
  const { initiatives, idempotency, workflows } = options;

  async function readable(request: FastifyRequest, id: string): Promise<Initiative> {
    const initiative = await initiatives.get(id, visibilityOf(request.principal));
    if (!initiative) throw notFound();
    return initiative;
  }

  /** The shared path of every command: 404 → 403 → idempotency → 409 for closed ones → the update. */
  async function command<Arg>(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    authorise: (initiative: Initiative) => void,
    update: UpdateDefinition<Initiative, [Arg]>,
    arg: (execution: Execution) => Arg,
  ) {
    const initiative = await readable(request, id);
    authorise(initiative);
    const version = expectedVersion(request);
    const result = await idempotent(idempotency, request, async (execution) => {
      // The workflow of a closed initiative has ended: answer from the read model without asking it.
      if (isTerminal(initiative.phase))
        throw conflict(`The initiative is ${initiative.phase}; nothing changes any more.`);
      const payload = { ...arg(execution), ...(version === undefined ? {} : { expectedVersion: version }) };
      return { status: 200, body: await workflows.update(id, update, payload, execution.updateId) };
    });
    return send(reply, result);
  }

  app.post(
    '/initiatives',
    {
      schema: {
        summary: 'Create an initiative (starts its workflow)',
        tags: ['initiatives'],
        headers: commandHeaders,
        body: CreateInitiativeBody,
        response: {
          201: Type.Ref('Initiative'),
          ...problemResponses(400, 401, 403, 409, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const body = request.body;
      authoriseCreate(principal);
      const errors = [];
      if (body.channel === 'bundesrat' && !body.instrument)
        errors.push({ path: 'body/instrument', message: 'is required for the bundesrat channel' });
      if (body.channel === 'joint' && body.instrument)
        errors.push({ path: 'body/instrument', message: 'applies only to the bundesrat channel' });
      for (const land of body.invite ?? [])
        if (isPartner(land))
          errors.push({ path: 'body/invite', message: `${land} is a partner and reviews anyway` });
      if (errors.length > 0) throw badRequest('The initiative cannot be created like this.', errors);

      const result = await idempotent(
        idempotency,
        request,
        async ({ initiativeId }) => {
          const id = initiativeId ?? (await nextReference(options.database, berlinYear()));
          const initiative = await workflows.start({
            id,
            title: body.title,
            summary: body.summary,
            topic: body.topic,
            channel: body.channel,
            instrument: body.instrument ?? null,
            ressort: body.ressort ?? null,
            proposer: { sub: principal.sub, name: principal.name, land: principal.land as Partner },
            invite: body.invite ?? [],
            periods: { ...options.periods, ...body.periods },
          });
          return { status: 201, body: initiative };
        },
        (tx) => nextReference(tx, berlinYear()),
      );
      return send(reply, result);
    },
  );

  app.get(
    '/initiatives',
    {
      schema: {
        summary: 'List the initiatives the caller may read, newest first',
        tags: ['initiatives'],
        querystring: ListQuery,
        response: { 200: InitiativeList, 304: NotModified, ...problemResponses(400, 401, 503) },
      },
    },
    async (request, reply) => {
      const { limit = 20, cursor, overdue, ...filter } = request.query;
      const page = await initiatives.list(
        visibilityOf(request.principal),
        { ...filter, overdue: overdue === undefined ? undefined : overdue === 'true' },
        limit,
        cursor ? decodeCursor(cursor) : undefined,
      );
      const body = { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
      const etag = `W/"${createHash('sha256')
        .update(body.items.map((i) => `${i.id}:${i.version}`).join(',') + `|${body.nextCursor}`)
        .digest('base64url')
        .slice(0, 27)}"`;
      void reply.header('etag', etag);
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return body;
    },
  );

  app.get(
    '/initiatives/:id',
    {
      schema: {
        summary: 'Read one initiative',
        tags: ['initiatives'],
        params: InitiativeParams,
        response: { 200: Type.Ref('Initiative'), 304: NotModified, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const initiative = await readable(request, request.params.id);
      const etag = etagOf(initiative);
      void reply.header('etag', etag);
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return initiative;
    },
  );

  app.get(
    '/initiatives/:id/history',
    {
      schema: {
        summary: 'The audit trail of one initiative, oldest first, hash-chained',
        tags: ['initiatives'],
        params: InitiativeParams,
        response: { 200: HistorySchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      await readable(request, request.params.id);
      return { items: await initiatives.history(request.params.id) };
    },
  );

  app.post(
    '/initiatives/:id/reviews',
    {
      schema: {
        summary: "Decide the caller's Land's review in the current round",
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: ReviewBody,
        response: {
          200: Type.Ref('Initiative'),
          ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
        },
      },
    },
    (request, reply) => {
      const { decision, comment } = request.body;
      if (decision !== 'approve' && comment === undefined)
        throw badRequest('A comment is required unless the decision is approve.', [
          { path: 'body/comment', message: `is required for ${decision}` },
        ]);
      return command(
        request,
        reply,
        request.params.id,
        (initiative) => authoriseReview(request.principal, initiative),
        reviewUpdate,
        () => ({
          actor: acting(request, 'reviewer'),
          decision,
          ...(comment === undefined ? {} : { comment }),
        }),
      );
    },
  );

  app.post(
    '/initiatives/:id/revisions',
    {
      schema: {
        summary: 'Submit a revision (proposer, phase revision); starts a new review round',
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: RevisionBody,
        response: {
          200: Type.Ref('Initiative'),
          ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
        },
      },
    },
    (request, reply) =>
      command(
        request,
        reply,
        request.params.id,
        (initiative) => authoriseProposerCommand(request.principal, initiative, 'submits revisions'),
        revisionUpdate,
        () => ({ actor: acting(request, 'proposer'), ...request.body }),
      ),
  );

  app.post(
    '/initiatives/:id/withdrawal',
    {
      schema: {
        summary: 'Withdraw the initiative (proposer, any open phase)',
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: WithdrawalBody,
        response: {
          200: Type.Ref('Initiative'),
          ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
        },
      },
    },
    (request, reply) =>
      command(
        request,
        reply,
        request.params.id,
        (initiative) => authoriseProposerCommand(request.principal, initiative, 'withdraws it'),
        withdrawalUpdate,
        () => ({ actor: acting(request, 'proposer'), reason: request.body.reason }),
      ),
  );
};
