/** The inbox: pending actions across initiatives. */
import { Type } from 'typebox';
import { PENDING_ACTION_KINDS } from '../../workflows/contracts.js';
import { LandSchema, RoleSchema, oneOf } from '../../workflows/schemas.js';
import { RessortKeyQuery, Timestamp } from './initiative.js';

const PendingActionKindSchema = oneOf(PENDING_ACTION_KINDS);

export const TaskQuery = Type.Object(
  {
    ressort: Type.Optional(
      Type.Unsafe<string>({
        ...RessortKeyQuery,
        description: 'the key of a Ressort (GET /v1/ressorts): actions on initiatives it leads',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TaskList = Type.Object({
  items: Type.Array(
    Type.Object({
      initiativeId: Type.String({ examples: ['DD-2026-0042'] }),
      title: Type.String(),
      action: PendingActionKindSchema,
      land: LandSchema,
      role: RoleSchema,
      dueAt: Type.Union([Timestamp, Type.Null()]),
      overdue: Type.Boolean({
        description: "the initiative is overdue, or the action's due time has passed",
      }),
    }),
    { description: 'soonest due first (undated last), then by initiative' },
  ),
});
