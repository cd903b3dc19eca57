/** The Ressorts of the Länder (workflows/ressorts.ts holds the data). */
import { Type } from 'typebox';
import { RESSORT_KINDS } from '../../workflows/ressorts.js';
import { LandSchema, oneOf } from '../../workflows/schemas.js';

export const RessortQuery = Type.Object({ land: Type.Optional(LandSchema) }, { additionalProperties: false });

export const RessortList = Type.Object({
  items: Type.Array(
    Type.Object({
      land: LandSchema,
      key: Type.String({
        description: 'what tokens (`ressort` claim) and initiatives name',
        examples: ['StMD'],
      }),
      name: Type.String({ examples: ['Staatsministerium für Digitales'] }),
      kind: oneOf(RESSORT_KINDS),
      active: Type.Boolean({
        description: 'inactive: still signs in, but no new initiative may name it as lead',
      }),
      source: Type.String({ format: 'uri', description: 'where the Ressort and its name were confirmed' }),
      provisional: Type.Boolean({ description: 'the name or cut could not be confirmed from the source' }),
    }),
    { description: 'per Land in the order shipped: the state chancellery first' },
  ),
});
