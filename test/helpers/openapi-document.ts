/** The parts of an OpenAPI 3.1 document the fuzzer and the contract check read, and how to walk them. */

export type JsonSchema = { [keyword: string]: unknown };

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface MediaType {
  schema: JsonSchema;
  /** OpenAPI 3.1 moves a schema's `examples` here, by name. */
  examples?: Record<string, { value: unknown }>;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface Endpoint {
  method: string;
  /** The path as documented, with `{name}` placeholders. */
  template: string;
  operation: Operation;
  /** JSON pointer of the operation in the document, e.g. `/paths/~1v1~1tasks/get`. */
  pointer: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
export const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export function endpointsOf(doc: OpenApiDocument): Endpoint[] {
  return Object.entries(doc.paths).flatMap(([template, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      method: method.toUpperCase(),
      template,
      operation: item[method] as Operation,
      pointer: `/paths/${escapePointer(template)}/${method}`,
    })),
  );
}

export function resolveRef(doc: OpenApiDocument, ref: string): JsonSchema {
  const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
  const schema = name === undefined ? undefined : doc.components.schemas[name];
  if (!schema) throw new Error(`cannot resolve ${ref}`);
  return schema;
}
