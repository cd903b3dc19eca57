/**
 * The form of every command: which fields, in which order, labelled how. Choices (topics, decisions,
 * procedures …) and what is required come from the request schema in the API's document; the Länder one
 * can invite from the API's allowed actions. Nothing here decides who may act.
 */
import { label, t } from '../i18n.js';
import { memberOf, validate } from '../schema.js';
import { bodyOf } from './kit.js';

/** @typedef {import('./kit.js').FieldSpec} FieldSpec */
/** @typedef {import('./kit.js').Values} Values */
/** @typedef {import('../schema.js').JsonSchema} JsonSchema */
/**
 * @typedef {object} FormContext
 * @property {import('../api.js').Initiative | undefined} initiative undefined when creating one
 * @property {import('../api.js').AllowedAction} allowed
 * @property {JsonSchema} schema the command's request-body schema
 */
/**
 * @typedef {object} FormDefinition
 * @property {(context: FormContext) => FieldSpec[]} fields
 * @property {(fields: FieldSpec[], values: Values, context: FormContext) => Record<string, unknown>} [body]
 *   the request body, when it is more than the fields' values
 * @property {string} [explanation] text key shown above the fields
 */

/**
 * The values a property admits, labelled with `kind` (e.g. `topic.ehealth`).
 * @param {JsonSchema} schema @param {string} name @param {string} kind
 */
function choices(schema, name, kind) {
  return (memberOf(schema, name).enum ?? []).map((value) => ({
    value: String(value),
    label: label(kind, String(value)),
  }));
}

/** The document's first example of a property, for hints like "e.g. 123/26". @param {JsonSchema} schema @param {string} name */
function exampleOf(schema, name) {
  const own = memberOf(schema, name);
  const items = typeof own.items === 'object' ? own.items : {};
  const examples = own.examples ?? items.examples ?? [];
  return examples.map(String).join(', ');
}

/** Today in Berlin, where the Länder decide. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

/**
 * A field of `name`, required when the schema says so.
 * @param {JsonSchema} schema
 * @param {Omit<FieldSpec, 'required'>} spec
 * @returns {FieldSpec}
 */
const field = (schema, spec) => ({ ...spec, required: (schema.required ?? []).includes(spec.name) });

/** @param {FormContext} context */
const landChoices = (context) =>
  (context.allowed.lands ?? []).map((land) => ({ value: land, label: label('landName', land) }));

/** @param {JsonSchema} schema @param {string} hint */
const comment = (schema, hint = 'commentHint') =>
  field(schema, { name: 'comment', kind: 'textarea', label: t('comment'), hint: t(hint) });

/** @type {Record<string, FormDefinition>} */
export const FORMS = {
  create: {
    fields: ({ schema, ...context }) => [
      field(schema, { name: 'title', kind: 'text', label: t('title') }),
      field(schema, { name: 'summary', kind: 'textarea', label: t('summary') }),
      field(schema, {
        name: 'topic',
        kind: 'select',
        label: t('topic'),
        options: choices(schema, 'topic', 'topic'),
      }),
      field(schema, {
        name: 'channel',
        kind: 'radio',
        label: t('channel'),
        options: choices(schema, 'channel', 'channel'),
      }),
      {
        name: 'instrument',
        kind: 'radio',
        label: t('instrument'),
        hint: t('instrumentHint'),
        options: choices(schema, 'instrument', 'instrument'),
        // The schema's `if`/`then`: an instrument is required for (and only asked for) a Bundesrat motion.
        required: (schema.then?.required ?? []).includes('instrument'),
        shownWhen: (values) => schema.if !== undefined && validate(schema.if, values).length === 0,
      },
      field(schema, {
        name: 'ressort',
        kind: 'text',
        label: t('ressort'),
        hint: t('ressortHint', { example: 'StMD' }),
      }),
      field(schema, {
        name: 'invite',
        kind: 'checkboxes',
        label: t('inviteLands'),
        hint: t('inviteHint'),
        options: landChoices({ schema, ...context }),
      }),
    ],
  },
  review: {
    fields: ({ schema }) => [
      field(schema, {
        name: 'decision',
        kind: 'radio',
        label: t('decisionLabel'),
        options: choices(schema, 'decision', 'reviewDecision'),
      }),
      comment(schema, 'reviewCommentHint'),
    ],
  },
  revise: {
    fields: ({ schema, initiative }) => [
      field(schema, { name: 'title', kind: 'text', label: t('title'), initial: initiative?.title ?? '' }),
      field(schema, {
        name: 'summary',
        kind: 'textarea',
        label: t('summary'),
        initial: initiative?.summary ?? '',
      }),
      comment(schema, 'revisionCommentHint'),
    ],
    // Title and summary are sent only when they changed: a revision states what it changes.
    body: (fields, values, { initiative }) => {
      const body = bodyOf(fields, values);
      if (body.title === initiative?.title) delete body.title;
      if (body.summary === initiative?.summary) delete body.summary;
      return body;
    },
  },
  withdraw: {
    explanation: 'withdrawExplanation',
    fields: ({ schema }) => [field(schema, { name: 'reason', kind: 'textarea', label: t('reason') })],
  },
  invite: {
    fields: (context) => [
      field(context.schema, {
        name: 'lands',
        kind: 'checkboxes',
        label: t('inviteLands'),
        options: landChoices(context),
      }),
      comment(context.schema),
    ],
  },
  respond: {
    explanation: 'respondExplanation',
    fields: ({ schema }) => [
      field(schema, {
        name: 'decision',
        kind: 'radio',
        label: t('decisionLabel'),
        options: choices(schema, 'decision', 'invitationDecision'),
      }),
      comment(schema),
    ],
  },
  cabinet: {
    fields: ({ schema }) => [
      field(schema, {
        name: 'decision',
        kind: 'radio',
        label: t('cabinetDecisionLabel'),
        options: choices(schema, 'decision', 'cabinetDecision'),
      }),
      field(schema, { name: 'decidedOn', kind: 'date', label: t('decidedOn'), initial: today() }),
    ],
  },
  submit: {
    fields: ({ schema }) => [
      field(schema, {
        name: 'drucksache',
        kind: 'text',
        label: t('drucksache'),
        hint: t('drucksacheHint', { example: exampleOf(schema, 'drucksache') }),
      }),
      field(schema, { name: 'submittedOn', kind: 'date', label: t('submittedOn'), initial: today() }),
      field(schema, {
        name: 'procedure',
        kind: 'radio',
        label: t('procedure'),
        options: choices(schema, 'procedure', 'procedure'),
      }),
    ],
  },
  refer: {
    fields: ({ schema }) => [
      field(schema, {
        name: 'committees',
        kind: 'list',
        label: t('committees'),
        hint: t('committeesHint', { example: exampleOf(schema, 'committees') }),
      }),
      field(schema, {
        name: 'leadCommittee',
        kind: 'text',
        label: t('leadCommitteeLabel'),
        hint: t('leadCommitteeHint'),
      }),
    ],
  },
  decide: {
    fields: ({ schema, initiative }) => [
      field(schema, {
        name: 'decision',
        kind: 'radio',
        label: t('plenaryDecisionLabel'),
        options: choices(schema, 'decision', 'decision'),
      }),
      field(schema, {
        name: 'decidedOn',
        kind: 'date',
        label: t('decidedOn'),
        hint: t('decidedOnHint'),
        initial: initiative?.bundesrat?.plenarySession?.date ?? today(),
      }),
    ],
  },
  accede: {
    explanation: 'accedeExplanation',
    fields: () => [],
  },
};
