/** Schema pieces every command route shares. */
import { Type } from 'typebox';

/** Problems are sent as application/problem+json (RFC 9457); declared so in /openapi.json. */
const problem = () => ({
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
});

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, problem()]));

export const commandHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'retry-safe key, kept 24 hours' })),
  'if-match': Type.Optional(Type.String({ description: 'the version the command expects, as "<version>"' })),
});

export const commandResponses = {
  200: Type.Ref('Initiative'),
  ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
};
