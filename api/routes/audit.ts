/** The audit trail as a whole (admin): verify the hash chain, export the heads for safekeeping. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditHeads, verifyAudit } from '../../db/audit-verify.js';
import type { Database } from '../../db/client.js';
import { authoriseAdmin } from '../access.js';
import { AuditHeadsSchema, AuditVerificationSchema } from '../schemas/audit.js';
import { problemResponses } from './shared.js';

export interface AuditRouteOptions {
  db: Database;
  webhookAllowedHosts: readonly string[];
}

export const auditRoutes: FastifyPluginAsyncTypebox<AuditRouteOptions> = async (app, options) => {
  const { db } = options;

  app.get(
    '/audit/verify',
    {
      schema: {
        summary: 'Recompute the whole audit hash chain (admin); names the first broken event',
        description:
          'Walks every audit event in (initiativeId, seq) order and checks seq continuity, the link to ' +
          'the previous hash (64 zeros for seq 1) and the hash itself. A removed or consistently re-hashed ' +
          'tail shows only against a heads export kept elsewhere (GET /v1/audit/heads).',
        tags: ['audit'],
        response: { 200: AuditVerificationSchema, ...problemResponses(401, 403, 503) },
      },
    },
    async (request) => {
      authoriseAdmin(request.principal, 'verifies the audit trail');
      return verifyAudit(db);
    },
  );

  app.get(
    '/audit/heads',
    {
      schema: {
        summary: 'The last event of every initiative and their digest, for safekeeping (admin)',
        description:
          'digest = sha256_hex(JCS(heads)): RFC 8785 canonical JSON of the heads array as returned ' +
          '(sorted by initiativeId), hashed as UTF-8.',
        tags: ['audit'],
        response: { 200: AuditHeadsSchema, ...problemResponses(401, 403, 503) },
      },
    },
    async (request) => {
      authoriseAdmin(request.principal, 'exports the audit heads');
      return auditHeads(db);
    },
  );
};
