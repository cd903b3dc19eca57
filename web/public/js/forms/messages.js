/**
 * Errors in words: what the schema interpreter found (schema.js) and what the API answered (RFC 9457
 * problems, with `errors[]` per field), in the current language.
 */
import { t } from '../i18n.js';
import { isChoice } from './kit.js';

/** @typedef {import('./kit.js').FieldSpec} FieldSpec */
/** @typedef {import('./kit.js').FieldError} FieldError */
/** @typedef {import('../schema.js').Issue} Issue */
/** @typedef {import('../commands.js').Problem} Problem */

/** The schemas' pattern for "not only blanks". */
const NOT_BLANK = '\\S';

/** @param {Issue} issue @param {FieldSpec | undefined} spec @returns {string} */
function issueMessage(issue, spec) {
  const { keyword, params } = issue;
  const choice = spec !== undefined && isChoice(spec);
  switch (keyword) {
    case 'required':
      return t(choice ? 'validation.choose' : 'validation.required');
    case 'minLength':
      return params.limit === 1 ? t('validation.required') : t('validation.minLength', params);
    case 'maxLength':
      return t('validation.maxLength', params);
    case 'pattern':
      if (params.pattern === NOT_BLANK) return t('validation.blank');
      return spec?.hint ? t('validation.patternHint') : t('validation.pattern');
    case 'format':
      return t(params.format === 'date' ? 'validation.date' : 'validation.format');
    case 'minItems':
      return t(choice ? 'validation.chooseAtLeast' : 'validation.minItems', params);
    case 'maxItems':
      return t('validation.maxItems', params);
    case 'uniqueItems':
      return t('validation.uniqueItems');
    case 'additionalProperties':
      return t('validation.unknownField');
    case 'minProperties':
      return t('validation.minProperties');
    default:
      return t(choice ? 'validation.choose' : 'validation.invalid');
  }
}

/**
 * One message per field (its first issue), in the order of the form's fields; issues of no field last.
 * @param {Issue[]} issues
 * @param {FieldSpec[]} fields
 * @returns {FieldError[]}
 */
export function schemaErrors(issues, fields) {
  /** @type {FieldError[]} */
  const errors = [];
  for (const spec of fields) {
    const issue = issues.find((i) => i.path[0] === spec.name);
    if (issue) errors.push({ field: spec.name, message: issueMessage(issue, spec) });
  }
  for (const issue of issues)
    if (!fields.some((spec) => spec.name === issue.path[0]))
      errors.push({ field: undefined, message: issueMessage(issue, undefined) });
  return errors;
}

/**
 * The API's field errors (`path` like `body/comment`) at their fields, in words where the message is one
 * the API uses for every field, else with the API's own text.
 * @param {Problem} problem
 * @param {FieldSpec[]} fields
 * @returns {FieldError[]}
 */
export function problemFieldErrors(problem, fields) {
  return (problem.errors ?? []).map(({ path, message }) => {
    const name = /^body\/([^/]+)/.exec(path)?.[1];
    const spec = fields.find((f) => f.name === name);
    const words =
      message === 'is required'
        ? t(spec && isChoice(spec) ? 'validation.choose' : 'validation.required')
        : t('validation.refused', { message });
    return { field: spec?.name, message: words };
  });
}

/**
 * A problem in plain words: by status (a 409 whose Retry-After says the same submission still runs is
 * told apart), or for answers without a problem body the outage text.
 * @param {number | null} status null: no answer at all
 * @param {{ running?: boolean }} [details]
 */
export function problemMessage(status, { running = false } = {}) {
  if (status === null || status >= 500) return t('problem.unavailable');
  if (status === 409 && running) return t('problem.running');
  const key = `problem.${status}`;
  const text = t(key);
  return text === key ? t('problem.other', { status }) : text;
}
