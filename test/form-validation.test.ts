/**
 * The browser's validation mirrors the API's: for every command, bodies generated at random are judged by
 * the web page's schema interpreter (web/public/js/schema.js), reading the schema from the running API's
 * /openapi.json, exactly as by the API's own validator (Ajv with the app's options on the TypeBox schema
 * of the command catalogue and api/schemas/): the same verdict, and the same fields named.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import fc from 'fast-check';
import type { TSchema } from 'typebox';
import { beforeAll, describe, expect, it } from 'vitest';
import { templateOf } from '../api/allowed.js';
import { CreateInitiativeBody } from '../api/schemas/initiative.js';
import { DevTokenBody } from '../api/schemas/session.js';
import { COMMANDS as CATALOGUE } from '../workflows/commands/index.js';
import { useHarness } from './kit/index.js';

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  examples?: unknown[];
  maxLength?: number;
  format?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}
interface Issue {
  path: (string | number)[];
  keyword: string;
}
type Validate = (schema: JsonSchema, value: unknown) => Issue[];

/** The operation of each command in the document, and the schema the API validates its body with. */
const COMMANDS: [string, TSchema][] = [
  ['/v1/initiatives', CreateInitiativeBody],
  // Every command of the catalogue: a new one is covered as soon as it has a route.
  ...CATALOGUE.flatMap(({ http }): [string, TSchema][] =>
    http ? [[`/v1/initiatives/{id}${templateOf(http.path)}`, http.body]] : [],
  ),
  ['/v1/dev/token', DevTokenBody],
];

/** Strings near the rules' edges: blanks, dates real and not, Drucksache and committee shapes, umlauts. */
const EDGY_STRINGS = [
  '',
  ' ',
  '\n\t',
  'x',
  'Ä',
  'In',
  'R-x',
  '1In',
  '123/26',
  '0/26',
  '12/1',
  '123456/26',
  '2019-01-15',
  '2020-02-29',
  '2019-02-29',
  '2019-1-5',
  'P14D',
  'StMD',
  '😀',
];

/** Values the schema admits, mostly: its enums and examples, plain text, real dates, required members. */
function plausible(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      if (schema.examples) return fc.constantFrom(...schema.examples);
      if (schema.format === 'date') return fc.constantFrom('2019-01-15', '2020-02-29');
      if (schema.format === 'uuid') return fc.uuid();
      return fc.constantFrom('x', 'Ä', 'In', 'Text mit Inhalt');
    case 'integer':
      // JSON numbers only: `anything()` would draw `undefined`, which no JSON body can hold.
      return fc.integer({ min: -2, max: 60 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausible(schema.items ?? {}), { minLength: 1, maxLength: 2 });
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([name, member]) => [name, plausible(member)]),
        ),
        { requiredKeys: schema.required ?? [] },
      );
    default:
      return fc.anything();
  }
}

/** Anything near the rules' edges: edgy strings, wrong types, too long, extra fields. */
function wild(schema: JsonSchema): fc.Arbitrary<unknown> {
  const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}));
  const often = (arbitrary: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: wrongType });
  if (schema.enum) return often(fc.constantFrom(...schema.enum, 'bogus'));
  switch (schema.type) {
    case 'string':
      return often(
        fc.oneof(
          fc.constantFrom(...EDGY_STRINGS, ...(schema.examples ?? [])),
          fc.string({ maxLength: 8 }),
          fc.constant('x'.repeat((schema.maxLength ?? 20) + 1)),
          // as many characters as allowed, but twice as many UTF-16 units: lengths count characters
          fc.constant('😀'.repeat(schema.maxLength ?? 20)),
        ),
      );
    case 'integer':
      return often(
        fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant('1')),
      );
    case 'boolean':
      return often(fc.boolean());
    case 'array':
      return often(fc.array(wild(schema.items ?? {}), { maxLength: 3 }));
    case 'object': {
      const members = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, member]) => [name, wild(member)]),
      );
      return fc
        .record(members, { requiredKeys: [] })
        .chain((body) =>
          fc.oneof(
            { weight: 6, arbitrary: fc.constant(body) },
            { weight: 1, arbitrary: fc.constant({ ...body, extra: 'x' }) },
          ),
        );
    }
    default:
      return fc.anything();
  }
}

/** Bodies of both kinds, and plausible ones with one member replaced by a wild value. */
function bodiesFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const members = Object.entries(schema.properties ?? {});
  const oneWild =
    members.length === 0
      ? wild(schema)
      : fc
          .tuple(plausible(schema), fc.constantFrom(...members))
          .chain(([body, [name, member]]) =>
            wild(member).map((value) => ({ ...(body as object), [name]: value })),
          );
  return fc.oneof(plausible(schema), wild(schema), oneWild);
}

/** The top-level fields Ajv names ('' for the body itself), leaving out `if` (its `then` names the field). */
function ajvFields(errors: { instancePath: string; keyword: string; params: Record<string, unknown> }[]) {
  return new Set(
    errors
      .filter((error) => error.keyword !== 'if')
      .map((error) => {
        const extra = error.params.missingProperty ?? error.params.additionalProperty;
        return error.instancePath.split('/')[1] ?? (typeof extra === 'string' ? extra : '');
      }),
  );
}

const harness = useHarness({ worker: false });
let document: {
  paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: JsonSchema }> } } }>;
};
let validate: Validate;

beforeAll(async () => {
  document = (await harness.get<typeof document>('/openapi.json')).body;
  // The page's module, as the browser loads it (plain JavaScript, typed by JSDoc for tsc -p web).
  const modulePath = '../web/public/js/schema.js';
  ({ validate } = (await import(modulePath)) as { validate: Validate });
});

describe('client-side validation = the API’s validation', () => {
  const compile = AjvCompiler()(
    {},
    { customOptions: { removeAdditional: false, allErrors: true, useDefaults: true, coerceTypes: false } },
  );

  it.each(COMMANDS)('%s', (operation, serverSchema) => {
    const clientSchema = document.paths[operation]?.post?.requestBody.content['application/json']?.schema;
    if (!clientSchema) throw new Error(`no body schema for ${operation} in /openapi.json`);
    const server = compile({ schema: serverSchema, method: 'POST', url: operation, httpPart: 'body' }) as ((
      body: unknown,
    ) => boolean) & {
      errors?: { instancePath: string; keyword: string; params: Record<string, unknown> }[] | null;
    };
    const verdicts = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(bodiesFor(clientSchema), (body) => {
        const issues = validate(clientSchema, body);
        // Ajv's useDefaults may fill in the copy it is given.
        const accepted = server(structuredClone(body));
        expect(issues.length === 0, JSON.stringify(body)).toBe(accepted);
        expect(new Set(issues.map((issue) => String(issue.path[0] ?? ''))), JSON.stringify(body)).toEqual(
          ajvFields(server.errors ?? []),
        );
        verdicts[accepted ? 'valid' : 'invalid'] += 1;
      }),
      { numRuns: 400 },
    );
    // both verdicts were put to the test
    expect(verdicts.invalid).toBeGreaterThan(20);
    if (operation !== '/v1/initiatives/{id}/bundesrat/accessions') expect(verdicts.valid).toBeGreaterThan(5);
  });
});
