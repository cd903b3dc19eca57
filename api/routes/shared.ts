/** Schema pieces every command route shares. */
import { Type } from 'typebox';

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('Problem')]));

export const commandHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'retry-safe key, kept 24 hours' })),
  'if-match': Type.Optional(Type.String({ description: 'the version the command expects, as "<version>"' })),
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
