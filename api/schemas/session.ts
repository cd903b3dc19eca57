/** Sessions and what a signed-in caller may do: session info, development tokens, /me, allowed actions. */
import { Type, type Static } from 'typebox';
import { ACTIONS } from '../../workflows/commands/index.js';
import { LandSchema, RoleSchema, Text, oneOf } from '../../workflows/schemas.js';

export const SessionInfoSchema = Type.Object({
  mode: oneOf(['development', 'production'] as const, 'how tokens are verified'),
  developmentTokens: Type.Boolean({ description: 'POST /v1/dev/token mints tokens (development mode only)' }),
});

export const DevTokenBody = Type.Object(
  {
    name: Text(100, 'the name shown in the audit trail'),
    land: LandSchema,
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 6, uniqueItems: true }),
    sub: Type.Optional(Text(100, 'the subject; defaults to "dev:<name>"')),
    ressort: Type.Optional(
      Text(
        40,
        "the `ressort` claim: a key of the Land's Ressorts (GET /v1/ressorts); absent for a Land-wide role",
      ),
    ),
  },
  { additionalProperties: false },
);
export type DevTokenBody = Static<typeof DevTokenBody>;

const PrincipalProperties = {
  sub: Type.String(),
  name: Type.String(),
  land: LandSchema,
  roles: Type.Array(RoleSchema),
  ressort: Type.Optional(Type.String({ description: "the token's Ressort, a key of the Land's Ressorts" })),
};

export const DevTokenSchema = Type.Object({
  token: Type.String({ description: 'a development JWT, valid for 8 hours' }),
  principal: Type.Object(PrincipalProperties),
});

export const AllowedActionSchema = Type.Object({
  action: oneOf(ACTIONS),
  method: oneOf(['POST'] as const),
  operation: Type.String({
    description: "the path template in this document; its request body's schema describes the command",
    examples: ['/v1/initiatives/{id}/reviews'],
  }),
  path: Type.String({ examples: ['/v1/initiatives/DD-2026-0042/reviews'] }),
  lands: Type.Optional(Type.Array(LandSchema, { description: 'create, invite: the Länder one can invite' })),
});

export const MeSchema = Type.Object({
  ...PrincipalProperties,
  actions: Type.Array(AllowedActionSchema, {
    description: 'commands that need no initiative (create), if the caller may send them',
  }),
});

export const AllowedActionsSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer({ description: 'the version these actions were computed for (send it as If-Match)' }),
  items: Type.Array(AllowedActionSchema),
});
