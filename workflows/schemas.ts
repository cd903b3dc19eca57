/**
 * TypeBox atoms of the vocabulary, shared by the command catalogue's request bodies (workflows/commands/)
 * and the API's resource schemas (api/schemas/). Pure data: safe in the workflow bundle, where the
 * catalogue needs them to be one definition per command.
 */
import { Type } from 'typebox';
import { CHANNELS, INSTRUMENTS, LANDS, PARTNERS, PHASES, ROLES, TOPICS } from './domain.js';

/** Enums as `enum` keywords: compact in OpenAPI and fast to validate. */
export const oneOf = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const LandSchema = oneOf(LANDS, 'ISO 3166-2:DE code of a Land, without the DE- prefix');
export const PartnerSchema = oneOf(PARTNERS, 'a partner Land of the Digital Dialog');
export const PhaseSchema = oneOf(PHASES);
export const TopicSchema = oneOf(TOPICS);
export const ChannelSchema = oneOf(CHANNELS);
export const InstrumentSchema = oneOf(INSTRUMENTS);
export const RoleSchema = oneOf(ROLES);

/** Text with at least one visible character. */
export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });

export const Comment = Type.Optional(Text(10_000));

// Years 1900–2999: PostgreSQL has no year 0, and a period added to 9999-12-31 leaves ISO 8601's four digits.
export const CalendarDate = Type.String({
  format: 'date',
  pattern: '^(19|2\\d)\\d\\d-',
  description: 'YYYY-MM-DD, years 1900 to 2999',
});

export const InitiativeId = Type.String({
  pattern: '^DD-\\d{4}-\\d{4,}$',
  description: 'the reference DD-<year>-<sequence>',
});

/** The motion text: CommonMark, at most 200 000 code points (docs/texts.md). */
export const MotionText = Text(200_000, 'the motion text, CommonMark (raw HTML is shown as text)');

/** Bodies carrying a motion text may be this large: 200 000 code points of up to 4 UTF-8 bytes, escaped. */
export const TEXT_BODY_LIMIT = 2 * 1024 * 1024;

/** Remarks anchored to paragraphs of the text version decided on. */
export const Remarks = Type.Array(
  Type.Object(
    {
      paragraph: Type.Integer({ minimum: 1, description: 'the paragraph number, from 1' }),
      text: Text(2_000),
    },
    { additionalProperties: false },
  ),
  { maxItems: 50 },
);
