/**
 * Accessible forms (BITV 2.0 / WCAG 2.1 AA): a label for every field, fieldsets with legends for radio and
 * checkbox groups, hints and errors tied to their fields (aria-describedby, aria-invalid), and an error
 * summary that takes focus and links to each field. Errors are given as `{ field, message }`; which rules
 * apply is decided elsewhere (schema.js reads them from the API's document).
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** @typedef {{ value: string, label: string }} Option */
/** @typedef {Record<string, string | string[]>} Values */
/**
 * @typedef {object} FieldSpec
 * @property {string} name the body property it fills
 * @property {'text' | 'textarea' | 'select' | 'radio' | 'checkboxes' | 'date' | 'list'} kind `list`: a text
 *   field whose comma-separated entries become an array
 * @property {string} label
 * @property {string} [hint]
 * @property {Option[]} [options]
 * @property {string | string[]} [initial]
 * @property {boolean} [required] marked as required (the schema says so)
 * @property {(values: Values) => boolean} [shownWhen]
 * @property {string} [autocomplete]
 */
/** @typedef {{ field: string | undefined, message: string }} FieldError */

const CHOICE_KINDS = new Set(['radio', 'checkboxes', 'select']);

/** @param {FieldSpec} spec */
export const isChoice = (spec) => CHOICE_KINDS.has(spec.kind);

/**
 * @param {object} options
 * @param {string} options.idPrefix keeps ids unique when a page holds several forms
 * @param {FieldSpec[]} options.fields
 * @param {string} options.submitLabel
 * @param {string} options.legend a name for the form (its heading's text)
 * @param {(Node | string)[]} [options.before] shown above the fields (e.g. an explanation)
 * @param {Node} [options.secondary] beside the submit button (e.g. a cancel link)
 * @param {(values: Values) => void} options.onSubmit
 * @param {(values: Values) => void} [options.onInput] after every change (e.g. to keep a draft)
 */
export function createForm({
  idPrefix,
  fields,
  submitLabel,
  legend,
  before = [],
  secondary,
  onSubmit,
  onInput,
}) {
  const id = (/** @type {string} */ name) => `${idPrefix}-${name}`;
  const summaryList = h('ul', {});
  const summary = h(
    'div',
    {
      class: 'error-summary',
      id: id('error-summary'),
      tabindex: -1,
      'aria-labelledby': id('error-summary-title'),
      hidden: true,
    },
    h('h2', { id: id('error-summary-title') }, t('errorSummaryTitle')),
    summaryList,
  );
  /** @type {Map<string, { wrapper: HTMLElement, error: HTMLElement, described: HTMLElement, focusTarget: () => HTMLElement | null, spec: FieldSpec }>} */
  const parts = new Map();

  for (const spec of fields) parts.set(spec.name, fieldParts(spec, id));
  const submit = h('button', { type: 'submit', id: id('submit') }, submitLabel);
  const form = h(
    'form',
    { novalidate: true, class: 'command-form', 'aria-label': legend, id: id('form') },
    summary,
    ...before,
    [...parts.values()].map((part) => part.wrapper),
    h('p', { class: 'actions' }, submit, secondary ?? null),
  );

  /** @returns {Values} */
  function read() {
    /** @type {Values} */
    const values = {};
    for (const { spec } of parts.values()) values[spec.name] = readField(form, spec, id(spec.name));
    return values;
  }

  function updateVisibility() {
    const values = read();
    for (const { spec, wrapper } of parts.values())
      wrapper.hidden = spec.shownWhen ? !spec.shownWhen(values) : false;
  }

  /** @returns {Values} the values of the fields shown */
  function visibleValues() {
    const values = read();
    return Object.fromEntries(
      Object.entries(values).filter(([name]) => parts.get(name)?.wrapper.hidden === false),
    );
  }

  /** @param {Values} values */
  function fill(values) {
    for (const { spec } of parts.values()) {
      const value = values[spec.name];
      if (value !== undefined) writeField(form, spec, id(spec.name), value);
    }
    updateVisibility();
  }

  function clearErrors() {
    summary.hidden = true;
    summaryList.replaceChildren();
    for (const { error, described, wrapper } of parts.values()) {
      error.hidden = true;
      error.replaceChildren();
      wrapper.classList.remove('invalid');
      described.removeAttribute('aria-invalid');
      for (const input of wrapper.querySelectorAll('input, textarea, select'))
        input.removeAttribute('aria-invalid');
      const ids = (described.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter((i) => i && i !== error.id);
      if (ids.length > 0) described.setAttribute('aria-describedby', ids.join(' '));
      else described.removeAttribute('aria-describedby');
    }
  }

  /** Marks the fields, lists every error in the summary and moves focus there. @param {FieldError[]} errors */
  function showErrors(errors) {
    clearErrors();
    for (const { field, message } of errors) {
      const part = field === undefined ? undefined : parts.get(field);
      const text = part ? `${part.spec.label}: ${message}` : message;
      const target = part?.focusTarget();
      summaryList.append(
        h(
          'li',
          {},
          target
            ? h(
                'a',
                {
                  href: `#${target.id}`,
                  // Hash links would change the route: move focus to the field instead.
                  onclick: (event) => {
                    event.preventDefault();
                    target.focus();
                  },
                },
                text,
              )
            : text,
        ),
      );
      if (!part || part.error.textContent) continue;
      part.error.append(h('span', { class: 'visually-hidden' }, `${t('errorPrefix')} `), message);
      part.error.hidden = false;
      part.wrapper.classList.add('invalid');
      if (part.described.matches('input, textarea, select'))
        part.described.setAttribute('aria-invalid', 'true');
      else
        for (const input of part.wrapper.querySelectorAll('input'))
          input.setAttribute('aria-invalid', 'true');
      const ids = (part.described.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      part.described.setAttribute('aria-describedby', [...ids, part.error.id].join(' '));
    }
    summary.hidden = false;
    summary.focus();
  }

  /** While a submission runs, a second click does nothing (the button stays focusable). @param {boolean} busy */
  function setBusy(busy) {
    submit.setAttribute('aria-disabled', String(busy));
    form.setAttribute('aria-busy', String(busy));
  }

  /** The action is no longer possible: the fields keep what was typed, sending is switched off. */
  function disable() {
    submit.disabled = true;
  }

  form.addEventListener('input', () => {
    updateVisibility();
    onInput?.(visibleValues());
  });
  form.addEventListener('change', () => {
    updateVisibility();
    onInput?.(visibleValues());
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-disabled') === 'true' || submit.disabled) return;
    onSubmit(visibleValues());
  });
  updateVisibility();
  return { form, fill, showErrors, clearErrors, setBusy, disable, values: visibleValues };
}

/** @param {FieldSpec} spec @param {(name: string) => string} id */
function fieldParts(spec, id) {
  const fieldId = id(spec.name);
  const hint = spec.hint ? h('p', { id: `${fieldId}-hint`, class: 'hint' }, spec.hint) : null;
  const error = h('p', { id: `${fieldId}-error`, class: 'field-error', hidden: true });
  const required = spec.required ? h('span', { class: 'required-mark' }, ` (${t('requiredMark')})`) : null;
  const describedBy = hint ? hint.id : undefined;

  if (spec.kind === 'radio' || spec.kind === 'checkboxes') {
    const type = spec.kind === 'radio' ? 'radio' : 'checkbox';
    const choices = (spec.options ?? []).map((option) => {
      const optionId = `${fieldId}-${option.value}`;
      return h(
        'div',
        { class: 'choice' },
        h('input', { type, id: optionId, name: fieldId, value: option.value }),
        h('label', { for: optionId }, option.label),
      );
    });
    const fieldset = h(
      'fieldset',
      { id: fieldId, 'aria-describedby': describedBy },
      h('legend', {}, spec.label, required),
      hint,
      error,
      h(
        'div',
        { class: spec.kind === 'checkboxes' && choices.length > 4 ? 'choices columns-choices' : 'choices' },
        choices,
      ),
    );
    const wrapper = h('div', { class: 'field', 'data-field': spec.name }, fieldset);
    return {
      wrapper,
      error,
      described: fieldset,
      focusTarget: () =>
        /** @type {HTMLElement | null} */ (
          fieldset.querySelector('input:checked') ?? fieldset.querySelector('input')
        ),
      spec,
    };
  }

  /** @type {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} */
  let control;
  const common = {
    id: fieldId,
    name: spec.name,
    'aria-describedby': describedBy,
    'aria-required': spec.required ? 'true' : undefined,
  };
  if (spec.kind === 'textarea') control = h('textarea', { ...common, rows: 5 });
  else if (spec.kind === 'select')
    control = h(
      'select',
      common,
      h('option', { value: '' }, t('choose')),
      (spec.options ?? []).map((option) => h('option', { value: option.value }, option.label)),
    );
  else
    control = h('input', {
      ...common,
      type: spec.kind === 'date' ? 'date' : 'text',
      autocomplete: spec.autocomplete ?? 'off',
      spellcheck: spec.kind === 'list' ? 'false' : undefined,
    });
  const wrapper = h(
    'div',
    { class: 'field', 'data-field': spec.name },
    h('label', { for: fieldId }, spec.label, required),
    hint,
    error,
    control,
  );
  return { wrapper, error, described: control, focusTarget: () => control, spec };
}

/** @param {HTMLFormElement} form @param {FieldSpec} spec @param {string} fieldId @returns {string | string[]} */
function readField(form, spec, fieldId) {
  if (spec.kind === 'radio' || spec.kind === 'checkboxes') {
    const checked = [...form.querySelectorAll(`input[name="${CSS.escape(fieldId)}"]:checked`)].map(
      (input) => /** @type {HTMLInputElement} */ (input).value,
    );
    return spec.kind === 'radio' ? (checked[0] ?? '') : checked;
  }
  const control = /** @type {HTMLInputElement | null} */ (form.querySelector(`#${CSS.escape(fieldId)}`));
  return control?.value ?? '';
}

/**
 * @param {HTMLFormElement} form @param {FieldSpec} spec @param {string} fieldId @param {string | string[]} value
 */
function writeField(form, spec, fieldId, value) {
  if (spec.kind === 'radio' || spec.kind === 'checkboxes') {
    const chosen = [value].flat();
    for (const input of form.querySelectorAll(`input[name="${CSS.escape(fieldId)}"]`)) {
      const box = /** @type {HTMLInputElement} */ (input);
      box.checked = chosen.includes(box.value);
    }
    return;
  }
  const control = /** @type {HTMLInputElement | null} */ (form.querySelector(`#${CSS.escape(fieldId)}`));
  if (control) control.value = Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The JSON body from the values shown: empty fields are left out (so that the schema reports a required
 * one as missing), `list` fields become arrays of their comma-separated entries.
 * @param {FieldSpec[]} fields
 * @param {Values} values
 * @returns {Record<string, unknown>}
 */
export function bodyOf(fields, values) {
  /** @type {Record<string, unknown>} */
  const body = {};
  for (const spec of fields) {
    const value = values[spec.name];
    if (value === undefined) continue;
    if (spec.kind === 'list' && typeof value === 'string') {
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      if (entries.length > 0) body[spec.name] = entries;
    } else if (Array.isArray(value) ? value.length > 0 : value !== '') body[spec.name] = value;
  }
  return body;
}
