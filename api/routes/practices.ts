/**
 * The best-practice catalogue (docs/practices.md). Practices are not initiatives: they have no lifecycle,
 * timers or workflow, so their changes go straight to PostgreSQL (db/practices.ts), each in one
 * transaction with the practice's next audit event.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Practice, PracticeCursor, PracticeRepository } from '../../db/practices.js';
import { authorise, visibilityOf } from '../access.js';
import { expectedVersion } from '../commands.js';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../problems.js';
import {
  InterestBody,
  PracticeBody,
  PracticeHeaders,
  PracticeHistorySchema,
  PracticeIdParams,
  PracticeListQuery,
  PracticeListSchema,
  TopicListSchema,
} from '../schemas/practices.js';
import type { Principal } from '../auth.js';
import type { Land, Role } from '../../workflows/domain.js';
import { unknownRessort } from '../../workflows/ressorts.js';
import { NotModified, problemResponses } from './shared.js';

export interface PracticeRouteOptions {
  practices: PracticeRepository;
}

const NO_PRACTICE = 'No such practice.';
const etagOf = (practice: Practice) => `"${practice.version}"`;

function encodeCursor(cursor: PracticeCursor): string {
  return Buffer.from(JSON.stringify([cursor.rank ?? null, cursor.createdAt, cursor.id])).toString(
    'base64url',
  );
}

function decodeCursor(text: string, searching: boolean): PracticeCursor {
  try {
    const [rank, createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    const rankFits = searching ? typeof rank === 'number' && Number.isFinite(rank) : rank === null;
    if (
      rankFits &&
      typeof createdAt === 'string' &&
      /^(?!0000)\d{4}-/.test(createdAt) &&
      new Date(Date.parse(createdAt) || 0).toISOString() === createdAt &&
      typeof id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
    )
      return { ...(typeof rank === 'number' ? { rank } : {}), createdAt, id };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The cursor is not one this API handed out (for this search).', [
    { path: 'querystring/cursor', message: 'is not valid' },
  ]);
}

const WRITERS = ['proposer', 'reviewer'] as const satisfies readonly Role[];
const INTERESTED = ['proposer', 'reviewer', 'cabinet'] as const satisfies readonly Role[];

/** The role the actor acts in: the first of `roles` the principal holds (authorised before). */
function actorOf(principal: Principal, roles: readonly Role[]) {
  const role = roles.find((r) => principal.roles.includes(r)) ?? roles[0] ?? 'viewer';
  return { sub: principal.sub, name: principal.name, land: principal.land, role };
}

export const practiceRoutes: FastifyPluginAsyncTypebox<PracticeRouteOptions> = async (app, options) => {
  const { practices } = options;

  const checkTopic = async (topic: string, path: string) => {
    if (!(await practices.topicExists(topic)))
      throw badRequest(`Unknown topic ${topic}: see GET /v1/topics.`, [
        { path, message: 'is not a known topic' },
      ]);
  };
  // A practice's `ressort` is a key of its Land's Ressorts (workflows/ressorts.ts), as an initiative's is.
  // A Land without Ressorts on record has no key to name: its practices leave `ressort` out.
  const checkRessort = (land: Land, ressort: string | undefined) => {
    const problem = ressort === undefined ? undefined : unknownRessort(land, ressort);
    if (problem)
      throw badRequest(`The Ressort is not one of ${land}'s: see GET /v1/ressorts?land=${land}.`, [
        { path: 'body/ressort', message: problem },
      ]);
  };
  /** The practices with the initiatives based on them that the caller may read. */
  const withInitiatives = async (request: FastifyRequest, list: Practice[]) => {
    const found = await practices.initiativesOf(
      list.map((p) => p.id),
      visibilityOf(request.principal),
    );
    return list.map((p) => ({ ...p, initiatives: found.get(p.id) ?? [] }));
  };
  const send = async (request: FastifyRequest, reply: FastifyReply, status: number, practice: Practice) => {
    void reply.code(status).header('etag', etagOf(practice));
    return (await withInitiatives(request, [practice]))[0];
  };

  app.get(
    '/topics',
    {
      schema: {
        summary: 'The topics (Themenfelder) practices and initiatives name, as data',
        tags: ['practices'],
        response: { 200: TopicListSchema, 304: NotModified, ...problemResponses(401, 503) },
      },
    },
    () => practices.topics(),
  );

  app.post(
    '/practices',
    {
      schema: {
        summary: "Add a practice to the catalogue (proposer or reviewer); its Land is the caller's",
        tags: ['practices'],
        body: PracticeBody,
        response: {
          201: Type.Ref('Practice'),
          ...problemResponses(400, 401, 403, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      await checkTopic(request.body.topic, 'body/topic');
      checkRessort(request.principal.land, request.body.ressort);
      authorise({ roles: WRITERS, what: 'adds a practice', rules: [] }, request.principal);
      const { principal } = request;
      const practice = await practices.create(request.body, principal.land, actorOf(principal, WRITERS));
      void reply.header('location', `/v1/practices/${practice.id}`);
      return send(request, reply, 201, practice);
    },
  );

  app.get(
    '/practices',
    {
      schema: {
        summary: 'Search and list the catalogue (German full-text search, ranked, then newest first)',
        description:
          "`q` is matched against title, tags and summary with PostgreSQL's `german` text search " +
          '(stemming: "Verwaltungsportale" finds "Verwaltungsportal"); a title hit ranks above a tag ' +
          'hit above a summary hit. Keyset pagination: pass `nextCursor` with the same filters.',
        tags: ['practices'],
        querystring: PracticeListQuery,
        response: { 200: PracticeListSchema, 304: NotModified, ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => {
      const { limit = 20, cursor, ...filter } = request.query;
      if (filter.topic !== undefined) await checkTopic(filter.topic, 'querystring/topic');
      const searching = filter.q?.trim() ? true : false;
      const page = await practices.list(filter, limit, cursor ? decodeCursor(cursor, searching) : undefined);
      return {
        items: await withInitiatives(request, page.items),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/practices/:id',
    {
      schema: {
        summary: 'One practice, with the Länder that declared interest',
        tags: ['practices'],
        params: PracticeIdParams,
        response: { 200: Type.Ref('Practice'), 304: NotModified, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const practice = await practices.get(request.params.id);
      if (!practice) throw notFound(NO_PRACTICE);
      return send(request, reply, 200, practice);
    },
  );

  app.get(
    '/practices/:id/history',
    {
      schema: {
        summary: "The practice's audit chain (hash-chained as an initiative's)",
        tags: ['practices'],
        params: PracticeIdParams,
        response: { 200: PracticeHistorySchema, 304: NotModified, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const history = await practices.history(request.params.id);
      if (history.length === 0) throw notFound(NO_PRACTICE);
      return { items: history };
    },
  );

  app.put(
    '/practices/:id',
    {
      schema: {
        summary: 'Edit a practice (proposer or reviewer of its Land), with If-Match',
        tags: ['practices'],
        params: PracticeIdParams,
        headers: PracticeHeaders,
        body: PracticeBody,
        response: {
          200: Type.Ref('Practice'),
          ...problemResponses(400, 401, 403, 404, 412, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      await checkTopic(request.body.topic, 'body/topic');
      // Checked against the caller's Land before the 404 and 403 (docs/api.md ranks 400 first): only the
      // practice's own Land may edit it, so whatever is stored is a Ressort of the practice's Land.
      checkRessort(request.principal.land, request.body.ressort);
      const version = expectedVersion(request);
      const current = await practices.get(request.params.id);
      if (!current) throw notFound(NO_PRACTICE);
      const { principal } = request;
      authorise({ roles: WRITERS, what: 'edits a practice', rules: [] }, principal);
      if (principal.land !== current.land)
        throw forbidden(`Only a proposer or reviewer of ${current.land} edits this practice.`);
      const outcome = await practices.update(current.id, request.body, version, actorOf(principal, WRITERS));
      if (outcome.ok) return send(request, reply, 200, outcome.practice);
      if (outcome.refusal === 'stale')
        throw new HttpProblem(
          412,
          `If-Match names version ${version}, the practice is at version ${outcome.version}.`,
        );
      throw notFound(NO_PRACTICE);
    },
  );

  app.post(
    '/practices/:id/interest',
    {
      schema: {
        summary: "Declare the caller's Land's interest in adopting the practice (once per Land)",
        tags: ['practices'],
        params: PracticeIdParams,
        body: InterestBody,
        response: {
          200: Type.Ref('Practice'),
          ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const current = await practices.get(request.params.id);
      if (!current) throw notFound(NO_PRACTICE);
      const { principal } = request;
      authorise({ roles: INTERESTED, what: "declares its Land's interest", rules: [] }, principal);
      if (principal.land === current.land)
        throw conflict(`The practice is ${current.land}'s own: only other Länder declare interest.`);
      const outcome = await practices.declareInterest(
        current.id,
        principal.land,
        request.body.comment,
        actorOf(principal, INTERESTED),
      );
      if (outcome.ok) return send(request, reply, 200, outcome.practice);
      if (outcome.refusal === 'duplicate')
        throw conflict(`${principal.land} has already declared its interest in this practice.`);
      throw notFound(NO_PRACTICE);
    },
  );
};
