/**
 * Formats where the Ressorts meet (docs/formats.md). Like practices they have no lifecycle of their own:
 * changes go straight to PostgreSQL (db/formats.ts), each with the format's next audit event. The one
 * thing that changes initiatives, a joint cabinet session applying its decisions, goes through the command
 * catalogue's `cabinet` entry, exactly as `POST /v1/initiatives/{id}/cabinet-decisions` does.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { FormatCursor, FormatInput, FormatRepository, StoredFormat } from '../../db/formats.js';
import { mayRead } from '../../db/formats.js';
import type { InitiativeRepository } from '../../db/initiatives.js';
import type { PracticeRepository } from '../../db/practices.js';
import { cabinet } from '../../workflows/commands/index.js';
import { erased } from '../../workflows/commands/define.js';
import { isPartner, type Role } from '../../workflows/domain.js';
import { unknownRessort } from '../../workflows/ressorts.js';
import { authorise, visibilityOf } from '../access.js';
import type { CommandRunner } from '../commands.js';
import { expectedVersion } from '../commands.js';
import { badRequest, conflict, forbidden, HttpProblem, notFound, type FieldError } from '../problems.js';
import type { Principal } from '../auth.js';
import {
  EmptyBody,
  FormatBody,
  FormatHeaders,
  FormatHistorySchema,
  FormatIdParams,
  FormatListQuery,
  FormatListSchema,
  JointCabinetResults,
  MinutesBody,
} from '../schemas/formats.js';
import { NotModified, problemResponses } from './shared.js';

export interface FormatRouteOptions {
  formats: FormatRepository;
  practices: PracticeRepository;
  initiatives: InitiativeRepository;
  commands: CommandRunner;
}

const NO_FORMAT = 'No such format, or not visible to you.';
const etagOf = (format: { version: number }) => `"${format.version}"`;
const CABINET = erased(cabinet);

/** Who organises formats, edits them and records their minutes: proposers and cabinets. */
const ORGANISERS = ['proposer', 'cabinet'] as const satisfies readonly Role[];

function actorOf(principal: Principal) {
  const role = ORGANISERS.find((r) => principal.roles.includes(r)) ?? 'proposer';
  return { sub: principal.sub, name: principal.name, land: principal.land, role };
}

function encodeCursor(cursor: FormatCursor): string {
  return Buffer.from(JSON.stringify([cursor.date, cursor.time, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): FormatCursor {
  try {
    const [date, time, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof date === 'string' &&
      /^(19|2\d)\d\d-\d\d-\d\d$/.test(date) &&
      typeof time === 'string' &&
      /^(|([01]\d|2[0-3]):[0-5]\d)$/.test(time) &&
      typeof id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
    )
      return { date, time, id };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The cursor is not one this API handed out.', [
    { path: 'querystring/cursor', message: 'is not valid' },
  ]);
}

export const formatRoutes: FastifyPluginAsyncTypebox<FormatRouteOptions> = async (app, options) => {
  const { formats, practices, initiatives, commands } = options;

  /** The input errors no schema states: unknown topics, Ressorts, practices and initiatives. */
  const inputErrors = async (
    request: FastifyRequest,
    body: { topics?: string[]; ressorts?: FormatInput['ressorts']; agenda?: FormatInput['agenda'] },
  ): Promise<FieldError[]> => {
    const errors: FieldError[] = [];
    const visibility = visibilityOf(request.principal);
    for (const [i, topic] of (body.topics ?? []).entries())
      if (!(await practices.topicExists(topic)))
        errors.push({ path: `body/topics/${i}`, message: 'is not a known topic (GET /v1/topics)' });
    for (const [i, ressort] of (body.ressorts ?? []).entries()) {
      const problem = ressort.key === undefined ? undefined : unknownRessort(ressort.land, ressort.key);
      if (problem) errors.push({ path: `body/ressorts/${i}/key`, message: problem });
    }
    for (const [i, item] of (body.agenda ?? []).entries()) {
      if (item.practiceId !== undefined && !(await practices.get(item.practiceId)))
        errors.push({ path: `body/agenda/${i}/practiceId`, message: 'is not a known practice' });
      if (item.initiativeId !== undefined && !(await initiatives.get(item.initiativeId, visibility)))
        errors.push({ path: `body/agenda/${i}/initiativeId`, message: 'is not an initiative you may read' });
    }
    return errors;
  };

  /** The format with the initiatives started from it that the caller may read. */
  const withInitiatives = async (request: FastifyRequest, list: StoredFormat[]) => {
    const found = await formats.initiativesOf(
      list.map((f) => f.id),
      visibilityOf(request.principal),
    );
    return list.map((f) => ({ ...f, initiatives: found.get(f.id) ?? [] }));
  };
  const one = async (request: FastifyRequest, format: StoredFormat) =>
    (await withInitiatives(request, [format]))[0];

  const readable = async (request: FastifyRequest, id: string) => {
    const format = await formats.get(id);
    if (!format || !mayRead(format, visibilityOf(request.principal))) throw notFound(NO_FORMAT);
    return format;
  };

  /** Editing and minutes: a proposer or cabinet principal of the format's own Land. */
  const mayOrganise = (principal: Principal, format: StoredFormat, what: string) => {
    authorise({ roles: ORGANISERS, what, rules: [] }, principal);
    if (principal.land !== format.land)
      throw forbidden(`Only a proposer or cabinet principal of ${format.land} ${what}.`);
  };

  const send = async (request: FastifyRequest, reply: FastifyReply, status: number, format: StoredFormat) => {
    void reply.code(status).header('etag', etagOf(format));
    return one(request, format);
  };

  const stale = (version: number | undefined, current: number | undefined) =>
    new HttpProblem(412, `If-Match names version ${version}, the format is at version ${current}.`);

  app.post(
    '/formats',
    {
      schema: {
        summary: 'Plan a format (proposer or cabinet of BY or NW); its Land is the caller’s',
        tags: ['formats'],
        body: FormatBody,
        response: { 201: Type.Ref('Format'), ...problemResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const errors = await inputErrors(request, request.body);
      if (errors.length > 0) throw badRequest('The format cannot be planned like this.', errors);
      const { principal } = request;
      authorise(
        {
          roles: ORGANISERS,
          what: 'plans formats',
          rules: [
            (caller) => (isPartner(caller.land) ? undefined : 'Only the partners BY and NW plan formats.'),
          ],
        },
        principal,
      );
      const format = await formats.create(request.body, principal.land, actorOf(principal));
      void reply.header('location', `/v1/formats/${format.id}`);
      return send(request, reply, 201, format);
    },
  );

  app.get(
    '/formats',
    {
      schema: {
        summary: 'The formats the caller may read, by date (a calendar list)',
        description:
          '`from` and `to` bound the date (inclusive), `topic` filters. Keyset pagination: pass ' +
          '`nextCursor` with the same filters.',
        tags: ['formats'],
        querystring: FormatListQuery,
        response: { 200: FormatListSchema, 304: NotModified, ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, ...filter } = request.query;
      if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to)
        throw badRequest('`from` is after `to`.', [
          { path: 'querystring/to', message: 'must not be before from' },
        ]);
      if (filter.topic !== undefined && !(await practices.topicExists(filter.topic)))
        throw badRequest(`Unknown topic ${filter.topic}: see GET /v1/topics.`, [
          { path: 'querystring/topic', message: 'is not a known topic' },
        ]);
      const page = await formats.list(
        visibilityOf(request.principal),
        filter,
        limit,
        cursor ? decodeCursor(cursor) : undefined,
      );
      return {
        items: await withInitiatives(request, page.items),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/formats/:id',
    {
      schema: {
        summary: 'One format, with its agenda, minutes and the initiatives started from it',
        tags: ['formats'],
        params: FormatIdParams,
        response: { 200: Type.Ref('Format'), 304: NotModified, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const format = await readable(request, request.params.id);
      return send(request, reply, 200, format);
    },
  );

  app.get(
    '/formats/:id/history',
    {
      schema: {
        summary: "The format's audit chain (hash-chained as an initiative's)",
        tags: ['formats'],
        params: FormatIdParams,
        response: { 200: FormatHistorySchema, 304: NotModified, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      await readable(request, request.params.id);
      return { items: await formats.history(request.params.id) };
    },
  );

  app.put(
    '/formats/:id',
    {
      schema: {
        summary: 'Edit a format (its Land’s proposers and cabinet), before minutes exist; with If-Match',
        tags: ['formats'],
        params: FormatIdParams,
        headers: FormatHeaders,
        body: FormatBody,
        response: {
          200: Type.Ref('Format'),
          ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const errors = await inputErrors(request, request.body);
      if (errors.length > 0) throw badRequest('The format cannot be changed like this.', errors);
      const version = expectedVersion(request);
      const current = await readable(request, request.params.id);
      mayOrganise(request.principal, current, 'edits this format');
      const outcome = await formats.update(current.id, request.body, version, actorOf(request.principal));
      if (outcome.ok) return send(request, reply, 200, outcome.format);
      if (outcome.refusal === 'stale') throw stale(version, outcome.version);
      if (outcome.refusal === 'has_minutes')
        throw conflict('The format has minutes: it is recorded as it was held and no longer edited.');
      throw notFound(NO_FORMAT);
    },
  );

  app.post(
    '/formats/:id/minutes',
    {
      schema: {
        summary: 'Record the minutes and outcomes (again only with a reason: a new minutes version)',
        tags: ['formats'],
        params: FormatIdParams,
        headers: FormatHeaders,
        body: MinutesBody,
        response: {
          200: Type.Ref('Format'),
          ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const { body, principal } = request;
      const errors: FieldError[] = [];
      const visibility = visibilityOf(principal);
      for (const [i, outcome] of body.outcomes.entries()) {
        if (outcome.cabinetDecision !== undefined && outcome.initiativeId === undefined)
          errors.push({
            path: `body/outcomes/${i}/initiativeId`,
            message: 'is required with a cabinetDecision',
          });
        if (outcome.initiativeId !== undefined && !(await initiatives.get(outcome.initiativeId, visibility)))
          errors.push({
            path: `body/outcomes/${i}/initiativeId`,
            message: 'is not an initiative you may read',
          });
      }
      if (errors.length > 0) throw badRequest('The minutes cannot be recorded like this.', errors);
      const version = expectedVersion(request);
      const current = await readable(request, request.params.id);
      const decisions = body.outcomes.findIndex((o) => o.cabinetDecision !== undefined);
      if (decisions >= 0 && current.kind !== 'joint_cabinet')
        throw badRequest('Only a joint cabinet session records cabinet decisions.', [
          { path: `body/outcomes/${decisions}/cabinetDecision`, message: 'needs kind joint_cabinet' },
        ]);
      mayOrganise(principal, current, 'records the minutes of this format');
      const outcome = await formats.recordMinutes(current.id, body, version, actorOf(principal));
      if (outcome.ok) return send(request, reply, 200, outcome.format);
      if (outcome.refusal === 'stale') throw stale(version, outcome.version);
      if (outcome.refusal === 'needs_reason')
        throw conflict('The minutes are recorded already: a correction needs a `reason`.');
      throw notFound(NO_FORMAT);
    },
  );

  app.post(
    '/formats/:id/cabinet-decisions',
    {
      schema: {
        summary: "Apply a joint cabinet session's decisions for the caller's Land (a cabinet principal)",
        description:
          'Each outcome with a `cabinetDecision` is applied to its initiative through the same command as ' +
          '`POST /v1/initiatives/{id}/cabinet-decisions`, dated with the format’s date. One refusal does ' +
          'not stop the others: each result carries the status that command answered, and its problem.',
        tags: ['formats'],
        params: FormatIdParams,
        body: EmptyBody,
        response: {
          200: JointCabinetResults,
          ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503),
        },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const format = await readable(request, request.params.id);
      const { principal } = request;
      authorise({ roles: ['cabinet'], what: 'applies cabinet decisions', rules: [] }, principal);
      if (format.kind !== 'joint_cabinet')
        throw conflict('Only a joint cabinet session (kind joint_cabinet) records cabinet decisions.');
      if (!format.minutes) throw conflict('The session has no minutes yet: nothing is decided.');
      const { minutes } = format;
      const results = [];
      for (const outcome of minutes.outcomes) {
        const { initiativeId, cabinetDecision } = outcome;
        if (initiativeId === undefined || cabinetDecision === undefined) continue;
        try {
          const result = await commands.execute(
            request,
            initiativeId,
            CABINET,
            { body: { decision: cabinetDecision, decidedOn: format.date }, land: undefined },
            // One Update id per session, minutes version, Land and initiative: a repeated request repeats nothing.
            { updateId: `format-${format.id}-minutes-${minutes.version}-${principal.land}` },
          );
          results.push({ initiativeId, status: result.status });
        } catch (error) {
          if (!(error instanceof HttpProblem) || error.status >= 500) throw error;
          results.push({
            initiativeId,
            status: error.status,
            problem: error.body(`/v1/initiatives/${initiativeId}/cabinet-decisions`, request.id),
          });
        }
      }
      return { results };
    },
  );
};
