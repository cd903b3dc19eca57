/** Third Länder and cabinets: invitations, answers, cabinet decisions and accession (Beitritt). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  accessionUpdate,
  cabinetUpdate,
  invitationAnswerUpdate,
  invitationUpdate,
} from '../../workflows/contracts.js';
import { isPartner } from '../../workflows/domain.js';
import {
  authoriseAccession,
  authoriseCabinet,
  authoriseInvitation,
  authoriseInvitationAnswer,
} from '../access.js';
import { acting, type CommandRunner } from '../commands.js';
import { badRequest } from '../problems.js';
import {
  AccessionBody,
  CabinetBody,
  InitiativeParams,
  InvitationAnswerBody,
  InvitationBody,
  InvitationParams,
} from '../schemas.js';
import { commandHeaders, commandResponses } from './shared.js';

export const participationRoutes: FastifyPluginAsyncTypebox<{ commands: CommandRunner }> = async (
  app,
  { commands },
) => {
  app.post(
    '/initiatives/:id/invitations',
    {
      schema: {
        summary: 'Invite non-partner Länder (partners, in review, revision or consultation)',
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: InvitationBody,
        response: commandResponses,
      },
    },
    (request, reply) => {
      const { lands, comment } = request.body;
      const partners = lands.filter(isPartner);
      if (partners.length > 0)
        throw badRequest('Partners review anyway; only further Länder are invited.', [
          { path: 'body/lands', message: `${partners.join(', ')} is a partner` },
        ]);
      return commands.run(request, reply, request.params.id, {
        authorise: () => authoriseInvitation(request.principal),
        update: invitationUpdate,
        arg: () => ({
          actor: acting(request, request.principal.roles.includes('reviewer') ? 'reviewer' : 'proposer'),
          lands,
          ...(comment === undefined ? {} : { comment }),
        }),
      });
    },
  );

  app.post(
    '/initiatives/:id/invitations/:land',
    {
      schema: {
        summary: 'Answer an invitation (a reviewer of the invited Land): join or decline',
        tags: ['commands'],
        params: InvitationParams,
        headers: commandHeaders,
        body: InvitationAnswerBody,
        response: commandResponses,
      },
    },
    (request, reply) => {
      const { decision, comment } = request.body;
      const { land } = request.params;
      return commands.run(request, reply, request.params.id, {
        authorise: () => authoriseInvitationAnswer(request.principal, land),
        update: invitationAnswerUpdate,
        arg: () => ({
          actor: acting(request, 'reviewer'),
          land,
          decision,
          ...(comment === undefined ? {} : { comment }),
        }),
      });
    },
  );

  app.post(
    '/initiatives/:id/cabinet-decisions',
    {
      schema: {
        summary: "Record the caller's Land's cabinet decision (Kabinettsbeschluss)",
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: CabinetBody,
        response: commandResponses,
      },
    },
    (request, reply) =>
      commands.run(request, reply, request.params.id, {
        authorise: (initiative) => authoriseCabinet(request.principal, initiative),
        update: cabinetUpdate,
        arg: () => ({ actor: acting(request, 'cabinet'), ...request.body }),
      }),
  );

  app.post(
    '/initiatives/:id/bundesrat/accessions',
    {
      schema: {
        summary: "Declare the caller's Land's accession (Beitritt) to a Bundesrat motion",
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: AccessionBody,
        response: commandResponses,
      },
      // The declaration carries nothing but the caller: an empty request counts as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    (request, reply) =>
      commands.run(request, reply, request.params.id, {
        authorise: () => authoriseAccession(request.principal),
        update: accessionUpdate,
        arg: () => ({ actor: acting(request, 'cabinet') }),
      }),
  );
};
