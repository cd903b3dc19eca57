/**
 * Client-side validation with the API's own rules: the request-body schemas of the OpenAPI document
 * (`/openapi.json`, loaded once), checked by a small interpreter of the JSON Schema keywords the document
 * uses. Nothing here knows a field of any command: the rules come from the document only.
 */

/**
 * @typedef {object} JsonSchema
 * @property {string | string[]} [type]
 * @property {unknown[]} [enum]
 * @property {unknown} [const]
 * @property {number} [minLength]
 * @property {number} [maxLength]
 * @property {string} [pattern]
 * @property {string} [format]
 * @property {number} [minimum]
 * @property {number} [maximum]
 * @property {string[]} [required]
 * @property {Record<string, JsonSchema | boolean>} [properties]
 * @property {JsonSchema | boolean} [additionalProperties]
 * @property {JsonSchema | boolean} [items]
 * @property {number} [minItems]
 * @property {number} [maxItems]
 * @property {boolean} [uniqueItems]
 * @property {number} [minProperties]
 * @property {number} [maxProperties]
 * @property {JsonSchema} [if]
 * @property {JsonSchema} [then]
 * @property {JsonSchema} [else]
 * @property {unknown[]} [examples]
 * @property {string} [description]
 */

/**
 * One rule a value breaks: where (property names and item indexes from the body's root), which keyword,
 * and the keyword's parameters (e.g. `{ limit: 300 }`).
 * @typedef {{ path: (string | number)[], keyword: string, params: Record<string, string | number> }} Issue
 */

/** @type {Promise<{ paths: Record<string, Record<string, unknown>> }> | undefined} */
let documentLoading;

function openApiDocument() {
  documentLoading ??= fetch('/openapi.json', { headers: { accept: 'application/json' } }).then(
    async (response) => {
      if (!response.ok) throw new Error(`/openapi.json: HTTP ${response.status}`);
      /** @type {unknown} */
      const body = await response.json();
      return /** @type {{ paths: Record<string, Record<string, unknown>> }} */ (body);
    },
  );
  // A failed load is tried again next time instead of being remembered.
  documentLoading.catch(() => (documentLoading = undefined));
  return documentLoading;
}

/**
 * The JSON request body's schema of an operation, e.g. ('POST', '/v1/initiatives/{id}/reviews').
 * @param {string} method
 * @param {string} operation the path template as the document has it
 * @returns {Promise<JsonSchema>}
 */
export async function requestSchema(method, operation) {
  const document = await openApiDocument();
  const body =
    /** @type {{ requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } | undefined} */ (
      document.paths[operation]?.[method.toLowerCase()]
    );
  const schema = body?.requestBody?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`The API document has no JSON body for ${method} ${operation}.`);
  return schema;
}

/**
 * The values each enumerated query parameter of an operation admits, in the document's order, e.g. the
 * list's filters ('GET', '/v1/initiatives'): `{ phase: ['review', …], topic: […], … }`.
 * @param {string} method
 * @param {string} operation
 * @returns {Promise<Record<string, string[]>>}
 */
export async function queryChoices(method, operation) {
  const document = await openApiDocument();
  const parameters =
    /** @type {{ parameters?: { in: string, name: string, schema?: JsonSchema }[] } | undefined} */ (
      document.paths[operation]?.[method.toLowerCase()]
    )?.parameters ?? [];
  return Object.fromEntries(
    parameters
      .filter((p) => p.in === 'query' && Array.isArray(p.schema?.enum))
      .map((p) => [p.name, (p.schema?.enum ?? []).map(String)]),
  );
}

/** The schema of an object schema's member (`{}`, admitting anything, where none is declared). @param {JsonSchema} schema @param {string} name @returns {JsonSchema} */
export function memberOf(schema, name) {
  const member = schema.properties?.[name];
  return typeof member === 'object' ? member : {};
}

/** @param {unknown} value */
function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** @param {string | string[]} expected @param {unknown} value */
function hasType(expected, value) {
  const actual = typeOf(value);
  return [expected].flat().some((type) => type === actual || (type === 'number' && actual === 'integer'));
}

/** JSON equality, as `enum`, `const` and `uniqueItems` compare. @param {unknown} a @param {unknown} b */
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** @param {string} day */
function isCalendarDate(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
}

/** @type {Record<string, (text: string) => boolean>} */
const FORMATS = {
  date: isCalendarDate,
  'date-time': (text) => /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)),
  // As the API's validator (ajv-formats) reads `uuid`: hex groups 8-4-4-4-12, an optional `urn:uuid:`.
  uuid: (text) => /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(text),
};

/**
 * @param {string} text
 * @param {JsonSchema} schema
 * @param {(keyword: string, params?: Record<string, string | number>) => void} issue
 */
function checkString(text, schema, issue) {
  // JSON Schema counts characters (code points), not UTF-16 units.
  const length = [...text].length;
  if (schema.minLength !== undefined && length < schema.minLength)
    issue('minLength', { limit: schema.minLength, actual: length });
  if (schema.maxLength !== undefined && length > schema.maxLength)
    issue('maxLength', { limit: schema.maxLength, actual: length });
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(text))
    issue('pattern', { pattern: schema.pattern });
  const format = schema.format === undefined ? undefined : FORMATS[schema.format];
  if (format && !format(text)) issue('format', { format: schema.format ?? '' });
}

/**
 * Every rule `value` breaks, the first per keyword and place (a value of the wrong type is reported once).
 * @param {JsonSchema | boolean} schema
 * @param {unknown} value
 * @param {(string | number)[]} [path]
 * @returns {Issue[]}
 */
export function validate(schema, value, path = []) {
  if (schema === true) return [];
  if (schema === false) return [{ path, keyword: 'false', params: {} }];
  /** @type {Issue[]} */
  const issues = [];
  /** @param {string} keyword @param {Record<string, string | number>} [params] @param {(string | number)[]} [at] */
  const issue = (keyword, params = {}, at = path) => issues.push({ path: at, keyword, params });

  if (schema.type !== undefined && !hasType(schema.type, value)) {
    issue('type', { type: [schema.type].flat().join(', ') });
    return issues;
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => same(allowed, value))) issue('enum');
  if ('const' in schema && !same(schema.const, value)) issue('const');
  if (typeof value === 'string') checkString(value, schema, issue);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) issue('minimum', { limit: schema.minimum });
    if (schema.maximum !== undefined && value > schema.maximum) issue('maximum', { limit: schema.maximum });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      issue('minItems', { limit: schema.minItems });
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      issue('maxItems', { limit: schema.maxItems });
    if (
      schema.uniqueItems &&
      value.some((item, index) => value.findIndex((other) => same(other, item)) !== index)
    )
      issue('uniqueItems');
    const items = schema.items;
    if (items !== undefined)
      value.forEach((item, index) => issues.push(...validate(items, item, [...path, index])));
  }
  if (typeOf(value) === 'object') {
    const object = /** @type {Record<string, unknown>} */ (value);
    for (const name of schema.required ?? []) if (!(name in object)) issue('required', {}, [...path, name]);
    const count = Object.keys(object).length;
    if (schema.minProperties !== undefined && count < schema.minProperties)
      issue('minProperties', { limit: schema.minProperties });
    if (schema.maxProperties !== undefined && count > schema.maxProperties)
      issue('maxProperties', { limit: schema.maxProperties });
    for (const [name, member] of Object.entries(object)) {
      const declared = schema.properties?.[name];
      if (declared !== undefined) issues.push(...validate(declared, member, [...path, name]));
      else if (schema.additionalProperties !== undefined)
        issues.push(
          ...validate(schema.additionalProperties, member, [...path, name]).map((found) =>
            found.keyword === 'false' ? { ...found, keyword: 'additionalProperties' } : found,
          ),
        );
    }
  }
  if (schema.if !== undefined) {
    const branch = validate(schema.if, value, path).length === 0 ? schema.then : schema.else;
    if (branch !== undefined) issues.push(...validate(branch, value, path));
  }
  return issues;
}
