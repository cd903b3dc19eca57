/**
 * One route per entry of the command catalogue (workflows/commands/): `POST /v1/initiatives/{id}<path>`
 * with the entry's body schema, its input checks (400), and the shared path of commands.ts (404 → 403 →
 * idempotency → 409 → the Update).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COMMANDS } from '../../workflows/commands/index.js';
import type { Land } from '../../workflows/domain.js';
import type { CommandRunner } from '../commands.js';
import { badRequest } from '../problems.js';
import { InitiativeParams, InvitationParams } from '../schemas/initiative.js';
import { commandHeaders, commandResponses } from './shared.js';

export const commandRoutes: FastifyPluginAsyncTypebox<{ commands: CommandRunner }> = async (
  app,
  { commands },
) => {
  for (const command of COMMANDS) {
    const { http } = command;
    if (!http) continue;
    app.post(
      `/initiatives/:id${http.path}`,
      {
        schema: {
          summary: http.summary,
          tags: ['commands'],
          params: http.path.includes(':land') ? InvitationParams : InitiativeParams,
          headers: commandHeaders,
          body: http.body,
          response: commandResponses,
        },
        ...(http.bodyLimit ? { bodyLimit: http.bodyLimit } : {}),
        ...(http.emptyBody
          ? {
              preValidation: async (request) => {
                request.body ??= {};
              },
            }
          : {}),
      },
      (request, reply) => {
        const invalid = http.invalid?.(request.body);
        if (invalid) throw badRequest(invalid.detail, invalid.errors);
        const { id, land } = request.params as { id: string; land?: Land };
        return commands.run(request, reply, id, command, { body: request.body, land });
      },
    );
  }
};
