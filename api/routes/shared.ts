/** Schema pieces every command route shares. */
import { Type } from 'typebox';

/** Problems are sent as application/problem+json (RFC 9457); declared so in /openapi.json. */
const problem = () => ({
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
});

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, problem()]));

// Patterns, so that a malformed header is a 400 of the schema, ahead of 404 and 403 (docs/api.md's order).
export const commandHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[\\x21-\\x7e]{1,200}$',
      description: 'retry-safe key of 1 to 200 visible ASCII characters, kept 24 hours',
    }),
  ),
  'if-match': Type.Optional(
    Type.String({
      pattern: '^\\s*(W/)?"\\d+"\\s*$',
      description: 'the version the command expects, as "<version>"',
      examples: ['"3"'],
    }),
  ),
});

export const commandResponses = {
  200: Type.Ref('Initiative'),
  ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
};

// A 304 has no body at all (RFC 9110); `void` lets a route send nothing rather than a serialised null.
export const NotModified = Type.Unsafe<void>({
  type: 'null',
  description: 'Not modified: the If-None-Match tag is current (no body)',
});
