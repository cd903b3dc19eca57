/** The plenary calendar of the Bundesrat. */
import { Type, type Static } from 'typebox';
import { CalendarDate, Text } from '../../workflows/schemas.js';

export const PlenarySessionSchema = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  date: CalendarDate,
  provisional: Type.Boolean(),
  source: Type.String(),
});
export const CalendarBody = Type.Array(
  Type.Object(
    {
      number: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      date: CalendarDate,
      provisional: Type.Optional(Type.Boolean({ default: false })),
      source: Text(500, 'where the date comes from'),
    },
    { additionalProperties: false },
  ),
  {
    maxItems: 1000,
    examples: [
      [{ number: 1071, date: '2026-12-18', provisional: true, source: 'Plenarsitzungstermine 2026' }],
    ],
  },
);
export type CalendarBody = Static<typeof CalendarBody>;
