/**
 * Checks an answer against what the OpenAPI document declares for its operation: the status is listed,
 * the media type is one of the status's `content` types, and a JSON body validates against that schema
 * (ajv, with the document's components). Also refuses problem texts that leak internals.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { escapePointer, type Endpoint, type OpenApiDocument } from './openapi-document.js';

const DOCUMENT_ID = 'openapi.json';

/** Stack frames, file paths, SQL and driver names: what a problem's texts must never show. */
const INTERNALS =
  /(\bat [\w$.<>]+ \(|node_modules|\/work\/|\.[jt]s:\d+|\b(select|insert|update|delete)\b[^.]*\b(from|into|set|where)\b|postgres|drizzle|sqlstate|syntax error|grpc)/i;

export interface Answer {
  status: number;
  contentType: string | null;
  /** The body as received ('' when there is none). */
  text: string;
}

export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApiDocument) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(doc, DOCUMENT_ID);
  }

  /** Everything wrong with `answer` as an answer of `endpoint`; empty when it conforms. */
  violations(endpoint: Endpoint, answer: Answer): string[] {
    const declared = endpoint.operation.responses[String(answer.status)];
    if (!declared) return [`status ${answer.status} is not declared`];
    const mediaType = answer.contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
    const content = declared.content ?? {};
    // A stream is judged by its media type alone: its body never ends.
    if (mediaType === 'text/event-stream')
      return content[mediaType] ? [] : [`${mediaType} is not declared for ${answer.status}`];
    if (answer.text === '') {
      if (answer.status >= 400) return [`${answer.status} without a problem body`];
      const bodiless = answer.status === 204 || answer.status === 304 || Object.keys(content).length === 0;
      return bodiless ? [] : [`${answer.status} without the declared body`];
    }
    if (!mediaType || !(mediaType in content))
      return [
        `${answer.status} sent ${mediaType ?? 'no media type'}; declared: ${Object.keys(content).join(', ') || 'no body'}`,
      ];
    if (!/[/+]json$/.test(mediaType)) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return [`${answer.status} body is not JSON: ${answer.text.slice(0, 200)}`];
    }
    const validate = this.validator(
      `${endpoint.pointer}/responses/${answer.status}/content/${escapePointer(mediaType)}/schema`,
    );
    const errors = validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    return [...errors.map((e) => `${answer.status} body: ${e}`), ...leaks(body)];
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

/** Internals in a problem's human-readable texts (`instance` and error paths echo the request, so not those). */
export function leaks(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || !('status' in body)) return [];
  const problem = body as { title?: unknown; detail?: unknown; errors?: { message?: unknown }[] };
  const texts = [problem.title, problem.detail, ...(problem.errors ?? []).map((e) => e.message)];
  return texts
    .filter((t): t is string => typeof t === 'string' && INTERNALS.test(t))
    .map((t) => `leaks internals: ${t}`);
}
