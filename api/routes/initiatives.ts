/** /v1/initiatives: create, list, read and history (the commands on one are routes/commands.ts). */
import { isValidPeriod } from '../../lib/periods.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { nextReference, type IdempotencyStore } from '../../db/idempotency.js';
import type { Cursor, InitiativeRepository } from '../../db/initiatives.js';
import { mayRead, type FormatRepository } from '../../db/formats.js';
import type { PracticeRepository } from '../../db/practices.js';
import { create } from '../../workflows/commands/index.js';
import type { TextStore } from '../../workflows/commands/define.js';
import { TEXT_BODY_LIMIT } from '../../workflows/schemas.js';
import type { Periods } from '../../workflows/contracts.js';
import { isPartner, type Partner } from '../../workflows/domain.js';
import { unknownRessort } from '../../workflows/ressorts.js';
import { authorise, visibilityOf } from '../access.js';
import { etagOf, sendResult, type CommandRunner } from '../commands.js';
import { matchesAny } from '../conditional.js';
import { idempotent } from '../idempotency.js';
import type { InitiativeCache } from '../initiative-cache.js';
import { HttpProblem, badRequest, notFound, type FieldError } from '../problems.js';
import type { ConferenceRepository } from '../../db/conferences.js';
import type { ConferenceSetup } from '../../workflows/conference-stage.js';
import { ruleFor } from '../../workflows/conferences.js';
import {
  CreateInitiativeBody,
  HistorySchema,
  InitiativeList,
  InitiativeParams,
  ListQuery,
} from '../schemas/initiative.js';
import { ReferenceTaken, type WorkflowGateway } from '../temporal.js';
import { NotModified, commandHeaders, problemResponses } from './shared.js';

export interface InitiativeRouteOptions {
  initiatives: InitiativeRepository;
  idempotency: IdempotencyStore;
  database: Database;
  workflows: WorkflowGateway;
  commands: CommandRunner;
  /** Serves status polls from memory (api/initiative-cache.ts). */
  cache: InitiativeCache;
  periods: Required<Periods>;
  texts: TextStore;
  conferences: ConferenceRepository;
  /** Where an initiative may come from: a format the caller may read, practices of the catalogue. */
  formats: FormatRepository;
  practices: PracticeRepository;
}

/**
 * Channel `laenderkreis`: the conference as it stands now (docs/laenderkreis.md), with the rule of the
 * motion kind; field errors for an unknown conference, a motion kind it has no rule for, or conference
 * fields on another channel.
 */
async function conferenceSetup(
  body: CreateInitiativeBody,
  conferences: ConferenceRepository,
  errors: FieldError[],
): Promise<ConferenceSetup | undefined> {
  if (body.channel !== 'laenderkreis') {
    if (body.conference !== undefined)
      errors.push({ path: 'body/conference', message: 'applies only to the laenderkreis channel' });
    if (body.motionKind !== undefined)
      errors.push({ path: 'body/motionKind', message: 'applies only to the laenderkreis channel' });
    return undefined;
  }
  if (body.conference === undefined) {
    errors.push({ path: 'body/conference', message: 'is required for the laenderkreis channel' });
    return undefined;
  }
  const conference = await conferences.get(body.conference);
  if (!conference) {
    errors.push({
      path: 'body/conference',
      message: `no conference ${body.conference} (GET /v1/conferences)`,
    });
    return undefined;
  }
  const motionKind = body.motionKind ?? 'decision';
  const rule = ruleFor(conference, motionKind);
  if (!rule) {
    errors.push({
      path: 'body/motionKind',
      message: `the ${conference.name} has no rule for a ${motionKind}`,
    });
    return undefined;
  }
  const { key, name, members, bund, registrationLeadDays } = conference;
  return { key, name, motionKind, members, bund, rule, registrationLeadDays };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}
function decodeCursor(text: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    // Exactly what encodeCursor wrote (an ISO instant, a reference): Date.parse alone admits text, such as
    // '1' or '2020-02-30T00:00:00Z', that PostgreSQL refuses as a timestamp.
    if (
      typeof createdAt === 'string' &&
      /^(?!0000)\d{4}-/.test(createdAt) &&
      new Date(Date.parse(createdAt) || 0).toISOString() === createdAt &&
      typeof id === 'string' &&
      /^DD-\d{4}-\d{4,}$/.test(id)
    )
      return { createdAt, id };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The cursor is not one this API handed out.', [
    { path: 'querystring/cursor', message: 'is not valid' },
  ]);
}

/** Berlin's calendar year: the year part of the reference. */
/** Taken references one create skips before it answers 503 (the next create carries on from there). */
const REFERENCES_SKIPPED_PER_CREATE = 100;

const berlinYear = () =>
  Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(new Date()));

export const initiativeRoutes: FastifyPluginAsyncTypebox<InitiativeRouteOptions> = async (app, options) => {
  const { initiatives, idempotency, workflows, commands, cache } = options;

  app.post(
    '/initiatives',
    {
      bodyLimit: TEXT_BODY_LIMIT,
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
      const errors: FieldError[] = [];
      // The schema's pattern admits durations the deadline arithmetic refuses (P0D, PT0S, too long ones):
      // the workflow would retry computing such a deadline for ever, so they are invalid input here.
      for (const [name, period] of Object.entries(body.periods ?? {}))
        if (period !== undefined && !isValidPeriod(period))
          errors.push({ path: `body/periods/${name}`, message: 'must be a period longer than zero' });
      // A motion always has its text; a joint project may have one (docs/texts.md).
      if (body.channel !== 'joint' && body.text === undefined)
        errors.push({ path: 'body/text', message: `is required for the ${body.channel} channel` });
      if (body.channel !== 'bundesrat' && body.instrument)
        errors.push({ path: 'body/instrument', message: 'applies only to the bundesrat channel' });
      const conference = await conferenceSetup(body, options.conferences, errors);
      for (const land of body.invite ?? [])
        if (isPartner(land))
          errors.push({ path: 'body/invite', message: `${land} is a partner and reviews anyway` });
      // The lead Ressort: the token's, else the body's (a key of the caller's Land, else 400).
      const leadKey = principal.ressort ?? body.ressort;
      const bodyRessort =
        body.ressort === undefined ? undefined : unknownRessort(principal.land, body.ressort);
      if (bodyRessort) errors.push({ path: 'body/ressort', message: bodyRessort });
      // Its origins (docs/formats.md, docs/practices.md): a format the caller may read, known practices.
      if (body.originFormat !== undefined) {
        const format = await options.formats.get(body.originFormat);
        if (!format || !mayRead(format, visibilityOf(principal)))
          errors.push({ path: 'body/originFormat', message: 'is not a format you may read' });
      }
      for (const [i, practiceId] of (body.basedOn ?? []).entries())
        if (!(await options.practices.get(practiceId)))
          errors.push({ path: `body/basedOn/${i}`, message: 'is not a practice of the catalogue' });
      if (errors.length > 0) throw badRequest('The initiative cannot be created like this.', errors);
      // After the input checks: docs/api.md ranks 400 before 403.
      authorise(create.who, principal);

      const result = await idempotent(
        idempotency,
        request,
        async ({ initiativeId, resumed, updateId }) => {
          let id = initiativeId ?? (await nextReference(options.database, berlinYear()));
          const text = body.text === undefined ? undefined : await options.texts.store(body.text);
          // References Temporal holds already (a fresh database against kept Temporal state) are skipped:
          // the counter moves past them, once each.
          for (let skipped = 0; ; skipped++) {
            try {
              const initiative = await workflows.start(resumed, {
                id,
                title: body.title,
                summary: body.summary,
                topic: body.topic,
                channel: body.channel,
                instrument: body.instrument ?? null,
                ressort: body.ressort ?? principal.ressort ?? null,
                leadRessort: leadKey === undefined ? null : { land: principal.land, key: leadKey },
                proposer: { sub: principal.sub, name: principal.name, land: principal.land as Partner },
                invite: body.invite ?? [],
                periods: { ...options.periods, ...body.periods },
                ...(text ? { text } : {}),
                ...(conference ? { conference } : {}),
                ...(body.originFormat === undefined ? {} : { originFormat: body.originFormat }),
                ...(body.basedOn?.length ? { basedOn: body.basedOn } : {}),
              });
              return { status: 201, body: initiative };
            } catch (error) {
              if (!(error instanceof ReferenceTaken)) throw error;
              if (skipped >= REFERENCES_SKIPPED_PER_CREATE)
                throw new HttpProblem(
                  503,
                  'Temporal holds every reference tried; the numbering is catching up, retry.',
                  undefined,
                  1,
                );
              request.log.warn({ reference: id }, 'reference held in Temporal already: taking the next');
              id = await nextReference(options.database, berlinYear());
              if (updateId) await idempotency.reassign(updateId, id);
            }
          }
        },
        (tx) => nextReference(tx, berlinYear()),
      );
      return sendResult(reply, result);
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
    async (request) => {
      const { limit = 20, cursor, overdue, ...filter } = request.query;
      const page = await initiatives.list(
        visibilityOf(request.principal),
        { ...filter, overdue: overdue === undefined ? undefined : overdue === 'true' },
        limit,
        cursor ? decodeCursor(cursor) : undefined,
      );
      // Its ETag is derived from the body; conditional.ts answers If-None-Match.
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
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
      const entry = await cache.readable(request.params.id, visibilityOf(request.principal));
      if (!entry) throw notFound();
      const etag = etagOf(entry.resource);
      void reply.header('etag', etag);
      // Answered here rather than by conditional.ts, so that a poll that changed nothing costs no serialising.
      if (matchesAny(request.headers['if-none-match'], etag)) return reply.code(304).send();
      // Serialised once per version by this route's own serializer, then sent as is.
      entry.body ??= reply.serialize(entry.resource) as string;
      return reply.type('application/json; charset=utf-8').send(entry.body);
    },
  );

  app.get(
    '/initiatives/:id/history',
    {
      schema: {
        summary: 'The audit trail of one initiative, oldest first, hash-chained',
        tags: ['initiatives'],
        params: InitiativeParams,
        response: { 200: HistorySchema, 304: NotModified, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      await commands.readable(request, request.params.id);
      return { items: await initiatives.history(request.params.id) };
    },
  );
};
