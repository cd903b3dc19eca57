/**
 * The conferences of the Länder, their session calendars and the Königsteiner Schlüssel: data an admin
 * maintains, every principal reads (docs/laenderkreis.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConferenceRepository } from '../../db/conferences.js';
import { koenigsteinErrors, type Conference, type VotingRule } from '../../workflows/conferences.js';
import { authoriseAdmin } from '../access.js';
import { badRequest, notFound, type FieldError } from '../problems.js';
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
}

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
        summary: 'Replace the session calendar of a conference (admin)',
        tags: ['laenderkreis'],
        params: KeyParams,
        body: ConferenceCalendarBody,
        response: {
          200: Type.Array(ConferenceSessionSchema),
          ...problemResponses(400, 401, 403, 404, 413, 415, 503),
        },
      },
    },
    async (request) => {
      const errors = calendarErrors(request.body);
      if (errors.length > 0) throw badRequest('The calendar is not consistent.', errors);
      authoriseAdmin(request.principal, 'maintains the conference calendars');
      const replaced = await conferences.replaceSessions(
        request.params.key,
        request.body.map((s) => ({
          date: s.date,
          number: s.number ?? null,
          place: s.place ?? null,
          provisional: s.provisional ?? false,
          source: s.source,
        })),
      );
      if (!replaced) throw noConference(request.params.key);
      return (await conferences.sessions(request.params.key)) ?? [];
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
