/**
 * What a front end needs to know about the session: the authentication mode (no token needed), in
 * development mode a token for a chosen principal, and for a signed-in principal who they are and which
 * commands they may send (allowed.ts, from the command catalogue).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { allowedOn, allowedWithoutInitiative } from '../allowed.js';
import type { Authenticator } from '../auth.js';
import type { CommandRunner } from '../commands.js';
import { InitiativeParams } from '../schemas/initiative.js';
import {
  AllowedActionsSchema,
  DevTokenBody,
  DevTokenSchema,
  MeSchema,
  SessionInfoSchema,
} from '../schemas/session.js';
import { unknownRessort } from '../../workflows/ressorts.js';
import { badRequest } from '../problems.js';
import { problemResponses } from './shared.js';

/** Unauthenticated. `POST /dev/token` exists only when the authenticator can mint tokens (development). */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ authenticate: Authenticator }> = async (
  app,
  { authenticate },
) => {
  const mint = authenticate.mintDevelopmentToken;
  app.get(
    '/session-info',
    {
      schema: {
        summary: 'How this service authenticates (no token needed)',
        tags: ['session'],
        security: [],
        response: { 200: SessionInfoSchema },
      },
    },
    () => ({
      mode: mint ? ('development' as const) : ('production' as const),
      developmentTokens: mint !== undefined,
    }),
  );
  if (!mint) return;
  app.post(
    '/dev/token',
    {
      schema: {
        summary: 'Development mode only: a token for the principal described (absent in production)',
        tags: ['session'],
        security: [],
        body: DevTokenBody,
        response: { 200: DevTokenSchema, ...problemResponses(400, 413, 415) },
      },
    },
    async (request) => {
      const { name, land, roles, sub = `dev:${name}`, ressort } = request.body;
      const unknown = ressort === undefined ? undefined : unknownRessort(land, ressort);
      if (unknown)
        throw badRequest('The token cannot name this Ressort.', [{ path: 'body/ressort', message: unknown }]);
      const principal = { sub, name, land, roles, ...(ressort === undefined ? {} : { ressort }) };
      return { token: await mint(principal), principal };
    },
  );
};

/** Authenticated: the caller and what they may do. */
export const principalRoutes: FastifyPluginAsyncTypebox<{ commands: CommandRunner }> = async (
  app,
  { commands },
) => {
  app.get(
    '/me',
    {
      schema: {
        summary: 'The authenticated caller: name, Land, roles and the commands that need no initiative',
        tags: ['session'],
        response: { 200: MeSchema, ...problemResponses(401) },
      },
    },
    (request) => ({ ...request.principal, actions: allowedWithoutInitiative(request.principal) }),
  );

  app.get(
    '/initiatives/:id/allowed-actions',
    {
      schema: {
        summary: 'The commands the caller may send on the initiative as it stands',
        description:
          'Computed with the same authorisation and lifecycle rules the commands meet; a command may still ' +
          'be refused (409/412) when someone else acted in between.',
        tags: ['session'],
        params: InitiativeParams,
        response: { 200: AllowedActionsSchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const initiative = await commands.readable(request, request.params.id);
      return {
        id: initiative.id,
        version: initiative.version,
        items: allowedOn(request.principal, initiative),
      };
    },
  );
};
