/**
 * Values drawn from JSON schemas as the OpenAPI document gives them: what the schema admits (enums,
 * patterns, formats, sizes), the document's examples, and strings that are valid yet hostile.
 */
import fc from 'fast-check';
import { resolveRef, type JsonSchema, type OpenApiDocument } from './openapi-document.js';

/** Strings PostgreSQL, JSON and renderers find hard: NUL, lone surrogates, bidi overrides, huge graphemes. */
export const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202egnp.exe',
  '\u200b',
  '\ufeff',
  '\u2028\u2029',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359',
  '🇩🇪🏳️‍🌈👩‍👩‍👧‍👦',
  'ß'.repeat(64),
  "' OR 1=1 --",
  '%00%2e%2e%2f',
  '${{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  ' ',
  '',
];

const DATE_EDGES = [
  '0000-01-01',
  '0001-01-01',
  '1969-12-31',
  '2019-02-15',
  '2024-02-29',
  '2027-12-17',
  '9999-12-31',
];
/** Schema-free strings must not be drawn too long: sizes are the mutations' job. */
const SHORT = 24;

const calendarDate = fc.oneof(
  fc.constantFrom(...DATE_EDGES),
  fc
    .date({
      min: new Date('1800-01-01T00:00:00Z'),
      max: new Date('3199-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
);

/** Printable ASCII, any grapheme, any code point (NUL included), and the nasty strings above. */
function anyText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const sized = { minLength, maxLength: Math.max(minLength, Math.min(maxLength, SHORT)) };
  return fc.oneof(
    fc.string(sized),
    fc.string({ ...sized, unit: 'grapheme' }),
    fc.string({ ...sized, unit: 'binary' }),
    fc.constantFrom(...NASTY_STRINGS).map((nasty) => `x${nasty}`.padEnd(minLength, 'x').slice(0, maxLength)),
  );
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (schema.format === 'date') {
    // Mostly dates the pattern admits (a range of years, say), sometimes any date at all.
    const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
    return pattern
      ? fc.oneof(
          calendarDate.filter((d) => pattern.test(d)),
          calendarDate,
          calendarDate,
        )
      : calendarDate;
  }
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'uuid') return fc.uuid();
  if (typeof schema.pattern !== 'string') return anyText(minLength, maxLength);
  // fast-check cannot generate from lookarounds: generate without them, keep what the whole pattern takes.
  const pattern = new RegExp(schema.pattern, 'u');
  const accepted = (s: string) => s.length >= minLength && s.length <= maxLength && pattern.test(s);
  const generable = new RegExp(schema.pattern.replace(/\(\?<?[=!][^()]*\)/g, ''), 'u');
  const matching = fc.stringMatching(generable, { maxLength: Math.min(maxLength, SHORT) }).filter(accepted);
  // Odd text spliced into a matching string, where the pattern still admits it (e.g. `\S`).
  const spliced = fc.tuple(matching, anyText(0, SHORT), fc.nat()).map(([text, odd, at]) => {
    const cut = at % (text.length + 1);
    const candidate = text.slice(0, cut) + odd + text.slice(cut);
    return accepted(candidate) ? candidate : text;
  });
  return fc.oneof(matching, spliced);
}

/**
 * A value the schema accepts (as far as generation goes: cross-field rules are the API's). The
 * document's `examples`, where it gives some (in a schema, or for a body beside it), are drawn as often
 * as generated values: they pass the cross-field rules, so that mutations of them get further in.
 */
export function valueFor(schema: JsonSchema, doc: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return valueFor(resolveRef(doc, schema.$ref), doc, depth);
  const examples = Array.isArray(schema.examples) ? (schema.examples as unknown[]) : [];
  const drawn = drawnValue(schema, doc, depth);
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), drawn) : drawn;
}

function drawnValue(schema: JsonSchema, doc: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueFor(s, doc, depth)));
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({
        min: typeof schema.minimum === 'number' ? schema.minimum : -1000,
        max: typeof schema.maximum === 'number' ? schema.maximum : 1_000_000,
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = valueFor((schema.items ?? {}) as JsonSchema, doc, depth + 1);
      const constraints = {
        minLength: typeof schema.minItems === 'number' ? schema.minItems : 0,
        maxLength: Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 4, 4),
      };
      return schema.uniqueItems
        ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) })
        : fc.array(items, constraints);
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, valueFor(s, doc, depth + 1)])),
        { requiredKeys: required },
      );
    }
    default:
      return depth > 2 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  }
}
