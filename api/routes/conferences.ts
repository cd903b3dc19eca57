/**
 * The conferences of the Länder, their session calendars and the Königsteiner Schlüssel: data an admin
 * maintains, every principal reads (docs/laenderkreis.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConferenceRepository } from '../../db/conferences.js';
import { koenigsteinErrors, type Conference, type VotingRule } from '../../workflows/conferences.js';
import { bookConference } from '../../workflows/commands/index.js';
import { addDays } from '../../lib/dates.js';
import { authoriseAdmin } from '../access.js';
import { acting } from '../commands.js';
import { badRequest, conflict, notFound, type FieldError } from '../problems.js';
import type { WorkflowGateway } from '../temporal.js';
import {
  ConferenceBody,
  ConferenceCalendarBody,
  ConferenceKey,
  ConferenceSchema,
  ConferenceSessionSchema,
  KoenigsteinBody,
  KoenigsteinQuery,
  KoenigsteinSchema,
} from '../schemas/conferences.js';
import { problemResponses } from './shared.js';

export interface ConferenceRouteOptions {
  conferences: ConferenceRepository;
  workflows: WorkflowGateway;
}

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

const KeyParams = Type.Object({ key: ConferenceKey });
const noConference = (key: string) => notFound(`No conference ${key}.`);

function ruleErrors(
  body: ConferenceBody,
  kind: 'decision' | 'recommendation',
  rule: VotingRule,
): FieldError[] {
  const path = `body/votingRules/${kind}`;
  if (
    (rule.type === 'min_laender' || rule.type === 'bund_and_min_laender') &&
    rule.laender > body.members.length
  )
    return [
      {
        path: `${path}/laender`,
        message: `needs ${rule.laender} Länder, but the conference has ${body.members.length}`,
      },
    ];
  if (rule.type === 'bund_and_min_laender' && !body.bund)
    return [
      {
        path: `${path}/type`,
        message: 'needs the Bund to vote yes, but the Bund is no member (bund: false)',
      },
    ];
  return [];
}

function calendarErrors(sessions: ConferenceCalendarBody): FieldError[] {
  const errors: FieldError[] = [];
  const numbers = new Set<number>();
  sessions.forEach((session, index) => {
    const previous = sessions[index - 1];
    if (previous && session.date <= previous.date)
      errors.push({
        path: `body/${index}/date`,
        message: `must come after ${previous.date} (dates ascending)`,
      });
    if (session.number !== undefined) {
      if (numbers.has(session.number))
        errors.push({ path: `body/${index}/number`, message: `session ${session.number} appears twice` });
      numbers.add(session.number);
    }
  });
  return errors;
}

export const conferenceRoutes: FastifyPluginAsyncTypebox<ConferenceRouteOptions> = async (app, options) => {
  const { conferences } = options;

  app.get(
    '/conferences',
    {
      schema: {
        summary: 'The conferences of the Länder, their members and voting rules',
        tags: ['laenderkreis'],
        response: { 200: Type.Array(ConferenceSchema), ...problemResponses(401, 503) },
      },
    },
    () => conferences.list(),
  );

  app.put(
    '/conferences/:key',
    {
      schema: {
        summary: 'Create or replace a conference (admin)',
        tags: ['laenderkreis'],
        params: KeyParams,
        body: ConferenceBody,
        response: { 200: ConferenceSchema, ...problemResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request) => {
      const body = request.body;
      const errors = [
        ...ruleErrors(body, 'decision', body.votingRules.decision),
        ...(body.votingRules.recommendation
          ? ruleErrors(body, 'recommendation', body.votingRules.recommendation)
          : []),
      ];
      if (errors.length > 0) throw badRequest('The voting rules do not fit the members.', errors);
      authoriseAdmin(request.principal, 'maintains the conferences');
      const conference: Conference = { key: request.params.key, ...body, members: body.members };
      return conferences.put(conference);
    },
  );

  app.get(
    '/conferences/:key/sessions',
    {
      schema: {
        summary: 'The session calendar of a conference',
        tags: ['laenderkreis'],
        params: KeyParams,
        response: { 200: Type.Array(ConferenceSessionSchema), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const sessions = await conferences.sessions(request.params.key);
      if (!sessions) throw noConference(request.params.key);
      return sessions;
    },
  );

  app.put(
    '/conferences/:key/sessions',
    {
      schema: {
        summary:
          'Replace the session calendar of a conference (admin); sessions open initiatives are booked on must stay',
        tags: ['laenderkreis'],
        params: KeyParams,
        body: ConferenceCalendarBody,
        response: {
          200: Type.Array(ConferenceSessionSchema),
          ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503),
        },
      },
    },
    async (request) => {
      const errors = calendarErrors(request.body);
      if (errors.length > 0) throw badRequest('The calendar is not consistent.', errors);
      authoriseAdmin(request.principal, 'maintains the conference calendars');
      const { key } = request.params;
      const { known, broken } = await conferences.replaceSessions(
        key,
        request.body.map((s) => ({
          date: s.date,
          number: s.number ?? null,
          place: s.place ?? null,
          provisional: s.provisional ?? false,
          source: s.source,
        })),
      );
      if (!known) throw noConference(key);
      if (broken.length > 0)
        throw conflict(
          `Open initiatives are booked on sessions this calendar moves or drops: ${broken
            .map((b) => `${b.initiativeId} on ${b.date}${b.number === undefined ? '' : ` (no. ${b.number})`}`)
            .join(', ')}.`,
        );
      // Initiatives that had fallen past the calendar's end get the first session from today on that
      // follows the session which postponed them (as for the Bundesrat).
      const from = today();
      for (const { id, postponedAfter } of await conferences.unbooked(key)) {
        const earliest =
          postponedAfter !== null && postponedAfter >= from ? addDays(postponedAfter, 1) : from;
        const next = await conferences.calendar.firstSessionFrom(key, earliest);
        if (!next) continue;
        await options.workflows
          .update(id, bookConference.update, { actor: acting(request, 'admin'), session: next })
          .catch((error: unknown) =>
            request.log.warn({ err: error, initiativeId: id }, 'could not book the extended calendar'),
          );
      }
      return (await conferences.sessions(key)) ?? [];
    },
  );

  app.get(
    '/koenigstein',
    {
      schema: {
        summary: 'The Königsteiner Schlüssel: the newest table, or the one in force in `year`',
        description: 'With `year`: that year’s table, else the newest earlier one (as a decision uses it).',
        tags: ['laenderkreis'],
        querystring: KoenigsteinQuery,
        response: { 200: KoenigsteinSchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const table = await conferences.koenigstein(request.query.year);
      if (!table)
        throw notFound(`No Königsteiner Schlüssel${request.query.year ? ` for ${request.query.year}` : ''}.`);
      return table;
    },
  );

  app.put(
    '/koenigstein',
    {
      schema: {
        summary: 'Create or replace the Königsteiner Schlüssel of a year (admin)',
        tags: ['laenderkreis'],
        body: KoenigsteinBody,
        response: { 200: KoenigsteinSchema, ...problemResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request) => {
      const errors = koenigsteinErrors(request.body.shares).map((e) => ({
        path: e.path ? `body/shares/${e.path}` : 'body/shares',
        message: e.message,
      }));
      if (errors.length > 0)
        throw badRequest(
          'The Königsteiner Schlüssel needs the shares of all 16 Länder, summing to 1.',
          errors,
        );
      authoriseAdmin(request.principal, 'maintains the Königsteiner Schlüssel');
      return conferences.putKoenigstein({
        year: request.body.year,
        shares: request.body.shares,
        source: request.body.source,
        provisional: request.body.provisional ?? false,
      });
    },
  );
};
