/**
 * The form of every command, derived from its request-body schema in the API's document: a field per
 * property, in the document's order, of the kind the property's schema calls for, required as the schema
 * says; choices are the schema's `enum`s. What is written here is presentation only: the texts of labels
 * and hints, and a few touches per command (initial values, the Länder one can invite from the API's
 * allowed actions, an explanation, what revise sends). A command without an entry in `FORMS` still gets a
 * working form. Nothing here decides who may act.
 */
import { label, t } from '../i18n.js';
import { memberOf, validate } from '../schema.js';
import { bodyOf, isChoice } from './kit.js';

/** @typedef {import('./kit.js').FieldSpec} FieldSpec */
/** @typedef {import('./kit.js').Option} Option */
/** @typedef {import('./kit.js').Values} Values */
/** @typedef {import('../schema.js').JsonSchema} JsonSchema */
/**
 * @typedef {object} FormContext
 * @property {import('../api.js').Initiative | undefined} initiative undefined when creating one
 * @property {import('../api.js').AllowedAction} allowed
 * @property {JsonSchema} schema the command's request-body schema
 */
/**
 * How a command presents one property, where the defaults do not fit. Everything is optional.
 * @typedef {object} FieldText
 * @property {string} [label] text key of the label (default: see `LABELS`)
 * @property {string} [hint] text key of a hint; its `{example}` is the schema's examples (or `example`)
 * @property {string} [example] for the hint, when the schema has no `examples`
 * @property {string} [choices] the kind its values are labelled with, `label(kind, value)` (default: the
 *   property's name)
 * @property {(context: FormContext) => Option[]} [options] the choices, when not the schema's values
 * @property {(context: FormContext) => string | string[]} [initial]
 * @property {boolean} [conditional] asked for only while the schema's `if` holds, and then required as its
 *   `then` says
 */
/**
 * @typedef {object} FormDefinition
 * @property {Record<string, FieldText>} [fields] by property name
 * @property {(fields: FieldSpec[], values: Values, context: FormContext) => Record<string, unknown>} [body]
 *   the request body, when it is more than the fields' values
 * @property {string} [explanation] text key shown above the fields
 */

/** Label keys of properties not labelled by their own name (`t('title')` …), whatever the command. */
const LABELS = /** @type {Record<string, string>} */ ({
  decision: 'decisionLabel',
  invite: 'inviteLands',
  lands: 'inviteLands',
  leadCommittee: 'leadCommitteeLabel',
  text: 'motionTextLabel',
  textVersion: 'textVersionLabel',
});

/** The text of `key`, or `fallback` where there is none. @param {string} key @param {string} fallback */
const textOr = (key, fallback) => {
  const text = t(key);
  return text === key ? fallback : text;
};

/** @param {JsonSchema} schema @param {string} type */
const isType = (schema, type) => [schema.type ?? []].flat().includes(type);

/** @param {unknown[] | undefined} values */
const allStrings = (values) => values !== undefined && values.every((value) => typeof value === 'string');

/**
 * The field kind a property's schema calls for; undefined for what a form cannot fill (objects, numbers …).
 * @param {JsonSchema} member
 * @returns {FieldSpec['kind'] | undefined}
 */
export function kindOf(member) {
  if (member.format === 'date') return 'date';
  if (
    member.enum !== undefined &&
    allStrings(member.enum) &&
    (member.type === undefined || isType(member, 'string'))
  )
    return member.enum.length <= 4 ? 'radio' : 'select';
  if (isType(member, 'array')) {
    const items = typeof member.items === 'object' ? member.items : {};
    if (items.enum !== undefined && allStrings(items.enum)) return 'checkboxes';
    return isType(items, 'string') ? 'list' : undefined;
  }
  if (isType(member, 'string')) return (member.maxLength ?? 0) > 1000 ? 'textarea' : 'text';
  return undefined;
}

/** The document's examples of a property, for hints like "e.g. 123/26". @param {JsonSchema} member */
function exampleOf(member) {
  const items = typeof member.items === 'object' ? member.items : {};
  return (member.examples ?? items.examples ?? []).map(String).join(', ');
}

/** Today in Berlin, where the Länder decide. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

/** @param {FormContext} context @returns {Option[]} */
const landChoices = (context) =>
  (context.allowed.lands ?? []).map((land) => ({ value: land, label: label('landName', land) }));

/** @type {Record<string, FormDefinition>} */
export const FORMS = {
  create: {
    fields: {
      // The schema's `if`/`then`: an instrument is required for (and only asked for) a Bundesrat motion.
      instrument: { hint: 'instrumentHint', conditional: true },
      ressort: { hint: 'ressortHint', example: 'StMD' },
      invite: { hint: 'inviteHint', options: landChoices },
    },
  },
  review: {
    fields: { decision: { choices: 'reviewDecision' }, comment: { hint: 'reviewCommentHint' } },
  },
  revise: {
    fields: {
      title: { initial: ({ initiative }) => initiative?.title ?? '' },
      summary: { initial: ({ initiative }) => initiative?.summary ?? '' },
      comment: { hint: 'revisionCommentHint' },
    },
    // Title and summary are sent only when they changed: a revision states what it changes.
    body: (fields, values, { initiative }) => {
      const body = bodyOf(fields, values);
      if (body.title === initiative?.title) delete body.title;
      if (body.summary === initiative?.summary) delete body.summary;
      return body;
    },
  },
  withdraw: { explanation: 'withdrawExplanation' },
  invite: {
    fields: { lands: { options: landChoices }, comment: { hint: 'commentHint' } },
  },
  respond: {
    explanation: 'respondExplanation',
    fields: { decision: { choices: 'invitationDecision' }, comment: { hint: 'commentHint' } },
  },
  cabinet: {
    fields: {
      decision: { label: 'cabinetDecisionLabel', choices: 'cabinetDecision' },
      decidedOn: { initial: today },
    },
  },
  submit: {
    fields: { drucksache: { hint: 'drucksacheHint' }, submittedOn: { initial: today } },
  },
  refer: {
    fields: { committees: { hint: 'committeesHint' }, leadCommittee: { hint: 'leadCommitteeHint' } },
  },
  decide: {
    fields: {
      decision: { label: 'plenaryDecisionLabel' },
      decidedOn: {
        hint: 'decidedOnHint',
        initial: ({ initiative }) => initiative?.bundesrat?.plenarySession?.date ?? today(),
      },
    },
  },
  accede: { explanation: 'accedeExplanation' },
  registerConference: {
    fields: {
      registeredOn: { initial: today },
      session: { hint: 'conferenceSessionHint' },
    },
  },
  coApplyConference: { explanation: 'coApplyExplanation' },
  decideConference: {
    fields: {
      decision: { label: 'conferenceDecisionLabel', choices: 'decision' },
      decidedOn: {
        initial: ({ initiative }) => initiative?.conference?.session?.date ?? today(),
      },
    },
  },
  extend: {
    explanation: 'extendExplanation',
    fields: {
      action: { label: 'extendActionLabel', choices: 'extendAction' },
      land: { label: 'extendLandLabel', choices: 'landName', conditional: true },
      until: { label: 'extendUntilLabel', hint: 'extendUntilHint' },
    },
  },
  correct: {
    explanation: 'correctExplanation',
    fields: {
      field: { label: 'correctFieldLabel', choices: 'correctField' },
      value: { label: 'correctValueLabel', hint: 'correctValueHint', example: 'In, R, Wi' },
    },
  },
  recommend: {
    fields: {
      recommendation: { label: 'recommendationLabel', choices: 'recommendation' },
      drucksache: {
        hint: 'recommendationDrucksacheHint',
        initial: ({ initiative }) => initiative?.bundesrat?.drucksache?.replace('/', '/1/') ?? '',
      },
      on: { label: 'recommendationOnLabel', initial: today },
    },
  },
  'follow-up': {
    fields: {
      receivedOn: { label: 'receivedOnLabel' },
      extended: { label: 'extendedLabel' },
      forwardedOn: { label: 'forwardedOnLabel' },
      bundestagDrucksache: { label: 'bundestagDrucksacheLabel' },
    },
  },
};

/**
 * The fields of `action`'s form: the request schema's properties in order, presented as `FORMS` says.
 * @param {string} action
 * @param {FormContext} context
 * @returns {FieldSpec[]}
 */
export function fieldsOf(action, context) {
  const { schema } = context;
  const texts = FORMS[action]?.fields ?? {};
  return Object.keys(schema.properties ?? {}).flatMap((name) => {
    const member = memberOf(schema, name);
    const kind = kindOf(member);
    if (kind === undefined) return [];
    const text = texts[name] ?? {};
    /** @type {FieldSpec} */
    const spec = {
      name,
      kind,
      label: textOr(text.label ?? LABELS[name] ?? name, name),
      required: (schema.required ?? []).includes(name),
    };
    if (text.hint) spec.hint = t(text.hint, { example: exampleOf(member) || (text.example ?? '') });
    if (isChoice(spec)) {
      const values =
        kind === 'checkboxes' && typeof member.items === 'object' ? member.items.enum : member.enum;
      spec.options =
        text.options?.(context) ??
        (values ?? []).map((value) => ({
          value: String(value),
          label: textOr(`${text.choices ?? name}.${String(value)}`, String(value)),
        }));
    }
    if (text.initial) spec.initial = text.initial(context);
    if (text.conditional) {
      const condition = schema.if;
      spec.required = (schema.then?.required ?? []).includes(name);
      spec.shownWhen = (values) => condition !== undefined && validate(condition, values).length === 0;
    }
    return [spec];
  });
}
