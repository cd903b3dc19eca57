/**
 * The personal calendar feed (docs/calendar-feed.md): `POST/DELETE /v1/me/calendar-feed` (authenticated)
 * and the feed itself at its secret URL, which calendar apps read without a token (`calendarFeedRoutes`,
 * registered beside the authenticated routes).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import ical from 'ical-generator';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';
import { calendarEntriesOf, feedOwner, issueFeed, revokeFeed } from '../../db/calendar-feeds.js';
import { recordSeen } from '../../db/people.js';
import { issuerOf, seenOf } from '../people.js';
import { notFound } from '../problems.js';
import { problemResponses } from './shared.js';

/** 32 random bytes (256 bits), base64url: 43 characters. */
const newToken = () => randomBytes(32).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const FEED_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;

const FeedUrl = Type.Object({
  url: Type.String({
    format: 'uri',
    description: 'the secret feed address (256 random bits); whoever has it reads the feed',
  }),
});

/** The authenticated half: issue (or rotate) and revoke the caller's feed. */
export const calendarFeedAdminRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.post(
    '/me/calendar-feed',
    {
      schema: {
        summary: "Creates the caller's calendar feed, revoking a previous one",
        description:
          'An iCalendar (RFC 5545) feed of the open actions with a due date and the booked Bundesrat ' +
          'sessions the caller may read, at a secret URL for calendar apps (which send no token). Only ' +
          "the URL's hash is stored: the URL is shown once.",
        tags: ['people'],
        response: { 201: FeedUrl, ...problemResponses(401, 503) },
      },
    },
    async (request, reply) => {
      const token = newToken();
      const who = seenOf(request.principal);
      await recordSeen(db, who);
      await issueFeed(db, who.iss, who.sub, hashOf(token));
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ url: `${request.protocol}://${request.host}/v1/calendar-feeds/${token}.ics` });
    },
  );

  app.delete(
    '/me/calendar-feed',
    {
      schema: {
        summary: "Revokes the caller's calendar feed",
        description: 'Its URL answers 404 from now on. Without a feed: 404.',
        tags: ['people'],
        response: { 204: Type.Null(), ...problemResponses(401, 404, 503) },
      },
    },
    async (request, reply) => {
      if (!(await revokeFeed(db, issuerOf(request.principal), request.principal.sub)))
        throw notFound('You have no calendar feed.');
      return reply.code(204).send(null);
    },
  );
};

/** The feed at its secret URL: no bearer token; an unknown or revoked URL is 404. */
export const calendarFeedRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/calendar-feeds/:file',
    {
      schema: {
        summary: 'A personal iCalendar feed (its URL is the secret)',
        tags: ['people'],
        security: [],
        params: Type.Object({ file: Type.String({ maxLength: 100 }) }),
        response: {
          200: Type.String({ description: 'text/calendar (RFC 5545)' }),
          ...problemResponses(400, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const token = FEED_FILE.exec(request.params.file)?.[1];
      const person = token === undefined ? undefined : await feedOwner(db, hashOf(token));
      if (!person) throw notFound('No such calendar feed (unknown or revoked).');
      const base = `${request.protocol}://${request.host}/`;
      const calendar = ical({
        name: 'Digital Dialog',
        description: `Fristen und Sitzungen für ${person.name}`,
        prodId: { company: 'Digital Dialog', product: 'Kalender', language: 'DE' },
        timezone: 'Europe/Berlin',
        ttl: 60 * 60,
      });
      for (const entry of await calendarEntriesOf(db, person)) {
        const start = new Date(`${entry.date}T00:00:00Z`);
        calendar.createEvent({
          id: `${entry.uid}@digital-dialog`,
          start,
          allDay: true,
          summary: entry.summary,
          description: entry.description,
          url: `${base}${entry.route}`,
        });
      }
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(calendar.toString());
    },
  );
};
