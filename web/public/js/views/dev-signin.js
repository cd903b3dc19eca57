/**
 * Development mode only: beside the token sign-in, a form that has the API mint a development token for a
 * chosen name, Land and roles (POST /v1/dev/token). Shown only when the API says it runs in development
 * mode; in production that route does not exist. The secret stays on the server.
 */
import { api } from '../api.js';
import { submission } from '../commands.js';
import { h } from '../dom.js';
import { bodyOf, createForm } from '../forms/kit.js';
import { problemMessage, schemaErrors } from '../forms/messages.js';
import { label, t } from '../i18n.js';
import { memberOf, requestSchema, validate } from '../schema.js';

/** @typedef {import('../schema.js').JsonSchema} JsonSchema */

const OPERATION = '/v1/dev/token';

/** @param {JsonSchema | boolean | undefined} schema @param {string} kind */
const options = (schema, kind) =>
  (typeof schema === 'object' ? (schema.enum ?? []) : []).map((value) => ({
    value: String(value),
    label: `${label(kind, String(value))} (${String(value)})`,
  }));

/**
 * Appends the development sign-in to the sign-in page in `main`, if the API is in development mode.
 * @param {HTMLElement} main
 * @param {(token: string) => void} onSignedIn
 */
export async function offerDevelopmentSignIn(main, onSignedIn) {
  const info = await api.sessionInfo().catch(() => undefined);
  if (!info?.developmentTokens) return;
  const schema = await requestSchema('POST', OPERATION);
  // The sign-in page may have gone while this loaded.
  if (!main.querySelector('form.sign-in')) return;
  const required = (/** @type {string} */ name) => (schema.required ?? []).includes(name);
  /** @type {import('../forms/kit.js').FieldSpec[]} */
  const fields = [
    { name: 'name', kind: 'text', label: t('devName'), hint: t('devNameHint'), required: required('name') },
    {
      name: 'land',
      kind: 'select',
      label: t('land'),
      options: options(memberOf(schema, 'land'), 'landName'),
      required: required('land'),
    },
    {
      name: 'roles',
      kind: 'checkboxes',
      label: t('devRoles'),
      options: options(memberOf(schema, 'roles').items, 'role'),
      required: required('roles'),
    },
    { name: 'sub', kind: 'text', label: t('devSub'), hint: t('devSubHint'), required: required('sub') },
  ];
  const problem = h('p', { class: 'error', role: 'alert' });
  const channel = submission(OPERATION, { token: () => null });
  const form = createForm({
    idPrefix: 'dev',
    fields,
    legend: t('devTitle'),
    submitLabel: t('devSubmit'),
    onSubmit: (values) => {
      const body = bodyOf(fields, values);
      const errors = schemaErrors(validate(schema, body), fields);
      if (errors.length > 0) return form.showErrors(errors);
      form.clearErrors();
      problem.textContent = '';
      void channel.send(body).then((outcome) => {
        if (outcome.kind === 'done') onSignedIn(/** @type {{ token: string }} */ (outcome.body).token);
        else problem.textContent = problemMessage(outcome.status);
      });
    },
  });
  main.append(
    h(
      'section',
      { class: 'dev-sign-in', 'aria-labelledby': 'dev-heading' },
      h('h2', { id: 'dev-heading' }, t('devTitle')),
      h('p', {}, t('devIntro')),
      problem,
      form.form,
    ),
  );
}
