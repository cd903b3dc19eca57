/**
 * A command's form (`#/new`, `#/initiatives/DD-…/review`, …): the initiative as it stands, the form the
 * API's document describes, and the API's answer in plain words. Offered only when the API lists the
 * command among the principal's allowed actions. A refused command keeps what was typed; a command
 * someone else overtook (409, 412) shows the current state next to the form.
 */
import { ApiError, api } from '../api.js';
import { submission } from '../commands.js';
import { append, h } from '../dom.js';
import { date, dateTime, deadline } from '../format.js';
import { FORMS, fieldsOf } from '../forms/definitions.js';
import { draftOf } from '../forms/drafts.js';
import { bodyOf, createForm } from '../forms/kit.js';
import { problemFieldErrors, problemMessage, schemaErrors } from '../forms/messages.js';
import { label, t } from '../i18n.js';
import { loadPrincipal, refreshTaskCount, signedInPrincipal } from '../principal.js';
import { requestSchema, validate } from '../schema.js';
import { phaseBadge, section } from './parts.js';

/** @typedef {import('../api.js').Initiative} Initiative */
/** @typedef {import('../api.js').AllowedAction} AllowedAction */
/** @typedef {import('../dom.js').Child} Child */

/** @param {{ name: string } | undefined} person */
const nameOf = (person) => person?.name ?? t('noValue');

/** The state a decision depends on, compact: phase, round, version and every Land's part so far. @param {Initiative} i */
function currentState(i) {
  /** @type {[string, Child | Child[]][]} */
  const rows = [
    [t('phase'), phaseBadge(i.phase)],
    [t('round'), i.revision],
    [t('version'), `${i.version} (${t('updatedAt')} ${dateTime(i.updatedAt)})`],
    ...i.reviews.map(
      (r) =>
        /** @type {[string, Child[]]} */ ([
          t('reviewOf', { land: label('landName', r.land) }),
          [
            h('span', { 'data-review': r.status, 'data-land': r.land }, label('review', r.status)),
            r.by
              ? ` – ${nameOf(r.by)}, ${dateTime(r.at)}`
              : r.dueAt
                ? ` – ${t('dueAt')} ${deadline(r.dueAt)}`
                : '',
            r.comment ? h('span', { class: 'quote' }, ` „${r.comment}“`) : null,
          ],
        ]),
    ),
    ...i.invitations.map(
      (v) =>
        /** @type {[string, Child | Child[]]} */ ([
          t('invitationOf', { land: label('landName', v.land) }),
          label('invitation', v.status),
        ]),
    ),
    ...i.cabinetDecisions.map(
      (c) =>
        /** @type {[string, Child | Child[]]} */ ([
          t('cabinetOf', { land: label('landName', c.land) }),
          `${label('cabinetStatus', c.status)}${c.decidedOn ? `, ${date(c.decidedOn)}` : ''}`,
        ]),
    ),
  ];
  const b = i.bundesrat;
  if (b)
    rows.push([
      t('bundesratTitle'),
      [
        label('bundesratStatus', b.status),
        b.drucksache ? `, ${t('drucksache')} ${b.drucksache}` : '',
        b.plenarySession
          ? `, ${t('plenarySessionValue', { number: b.plenarySession.number, date: date(b.plenarySession.date) })}`
          : '',
      ],
    ]);
  return h(
    'dl',
    { class: 'facts state' },
    rows.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))),
  );
}

/** @param {string} id */
const initiativeHref = (id) => `#/initiatives/${encodeURIComponent(id)}`;

/** @type {import('../router.js').View} */
export const showCommand = async (container, params, context) => {
  const action = params.action ?? '';
  // A command without presentation of its own still gets a form: its fields come from its schema.
  const definition = FORMS[action] ?? {};
  const heading = h('h1', { tabindex: -1 }, label('action', action));
  container.append(heading);
  const me = signedInPrincipal() ?? (await loadPrincipal());
  const creating = action === 'create';

  /** @type {Initiative | undefined} */
  let initiative;
  /** @type {AllowedAction | undefined} */
  let allowed;
  /** Loads the initiative and whether the action is still allowed on it. */
  const load = async () => {
    if (creating) {
      allowed = me.actions.find((a) => a.action === 'create');
      return;
    }
    const [loaded, actions] = await Promise.all([api.initiative(params.id), api.allowedActions(params.id)]);
    initiative = loaded;
    allowed = actions.items.find((a) => a.action === action);
  };
  try {
    await load();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    container.append(h('p', {}, t('notFound')), h('p', {}, h('a', { href: '#/tasks' }, t('toMyTasks'))));
    return {};
  }

  const title = initiative ? `${label('action', action)}: ${initiative.title}` : label('action', action);
  heading.textContent = title;
  document.title = `${title} – ${t('appName')}`;
  const backLink = initiative
    ? h('a', { href: initiativeHref(initiative.id) }, t('toInitiative'))
    : h('a', { href: '#/tasks' }, t('cancel'));
  if (!allowed) {
    container.append(h('p', { class: 'notice' }, t('actionNotPossible')), h('p', {}, backLink));
    return {};
  }
  const target = allowed;

  const meta = h('p', { class: 'meta' });
  const state = h('div', {});
  const changed = h('div', { 'aria-live': 'polite' });
  /** The version the user has seen: sent as If-Match. */
  let seenVersion = initiative?.version;
  const showInitiative = () => {
    if (!initiative) return;
    meta.replaceChildren(
      `${t('reference')} ${initiative.id} · `,
      phaseBadge(initiative.phase),
      ` · ${t('version')} ${initiative.version}`,
    );
    state.replaceChildren(currentState(initiative));
    seenVersion = initiative.version;
    changed.replaceChildren();
  };
  if (initiative) {
    container.append(
      meta,
      h('p', { class: 'summary' }, initiative.summary),
      changed,
      section('current-state', t('currentStateTitle'), state, h('p', {}, backLink)),
    );
    showInitiative();
  }

  const schema = await requestSchema(target.method, target.operation);
  const formContext = { initiative, allowed: target, schema };
  const fields = fieldsOf(action, formContext);
  const draft = draftOf(me.sub, action, params.id);
  const problem = h('div', { class: 'problem', id: 'problem', tabindex: -1, hidden: true });
  const channel = submission(target.path);

  /** @param {string} message @param {Child[]} [more] */
  const showProblem = (message, more = []) => {
    problem.replaceChildren(h('h2', {}, t('notSaved')), h('p', {}, message));
    append(problem, more);
    problem.hidden = false;
    problem.focus();
    context.announce(message);
  };

  /** After a refusal: what the initiative looks like now, and whether the action is still possible. */
  const afterRefusal = async (
    /** @type {import('../commands.js').Problem} */ answer,
    /** @type {boolean} */ running,
  ) => {
    const details = answer.detail
      ? h('details', {}, h('summary', {}, t('technicalDetails')), h('p', { lang: 'en' }, answer.detail))
      : null;
    if (!creating && [403, 404, 409, 412].includes(answer.status) && !running) {
      // Gone from view (404) or closed: either way the step is not possible any more.
      const reloaded = await load().then(
        () => true,
        () => false,
      );
      showInitiative();
      const stillPossible = reloaded && allowed !== undefined;
      if (!stillPossible) form.disable();
      showProblem(problemMessage(answer.status), [
        h('p', {}, t(stillPossible ? 'stillPossible' : 'noLongerPossible')),
        initiative ? currentState(initiative) : null,
        details,
      ]);
      return;
    }
    showProblem(problemMessage(answer.status, { running }), [details]);
  };

  /** @param {unknown} resource */
  const done = (resource) => {
    draft.clear();
    const result = /** @type {Initiative} */ (resource);
    const confirmation = h('h2', { tabindex: -1 }, t('saved'));
    formSection.replaceChildren(
      confirmation,
      h(
        'p',
        { id: 'result' },
        creating
          ? t('createdText', { id: result.id })
          : t('savedText', { phase: label('phase', result.phase), version: result.version }),
      ),
      h(
        'ul',
        { class: 'next-steps' },
        h('li', {}, h('a', { href: initiativeHref(result.id) }, t('toInitiative'))),
        h('li', {}, h('a', { href: '#/tasks' }, t('toMyTasks'))),
      ),
    );
    confirmation.focus();
    context.announce(t('saved'));
    if (initiative) {
      initiative = result;
      showInitiative();
    }
    void refreshTaskCount().catch(() => undefined);
  };

  /** @param {import('../forms/kit.js').Values} values */
  const submit = async (values) => {
    const body = definition.body ? definition.body(fields, values, formContext) : bodyOf(fields, values);
    const errors = schemaErrors(validate(schema, body), fields);
    if (errors.length > 0) return form.showErrors(errors);
    form.clearErrors();
    problem.hidden = true;
    form.setBusy(true);
    context.announce(t('sending'));
    const outcome = await channel
      .send(body, creating ? undefined : seenVersion)
      .finally(() => form.setBusy(false));
    if (outcome.kind === 'done') return done(outcome.body);
    if (outcome.kind === 'unknown') return showProblem(problemMessage(outcome.status));
    if (outcome.status === 401) return context.fail(new ApiError(401, outcome.problem.detail ?? ''));
    const fieldErrors = problemFieldErrors(outcome.problem, fields);
    if (outcome.status === 400 && fieldErrors.length > 0) return form.showErrors(fieldErrors);
    await afterRefusal(outcome.problem, outcome.running);
  };

  const form = createForm({
    idPrefix: `f-${action}`,
    fields,
    legend: title,
    submitLabel: t(`submit.${action}`),
    before: definition.explanation ? [h('p', {}, t(definition.explanation))] : [],
    secondary: initiative
      ? h('a', { href: initiativeHref(initiative.id) }, t('cancel'))
      : h('a', { href: '#/tasks' }, t('cancel')),
    onSubmit: (values) => void submit(values).catch(context.fail),
    onInput: (values) => draft.save(values),
  });
  form.fill(
    Object.fromEntries(
      fields.flatMap((spec) => (spec.initial === undefined ? [] : [[spec.name, spec.initial]])),
    ),
  );
  const saved = draft.load();
  if (saved) form.fill(saved);
  const formSection = section('form-section', t('yourInput'), problem, form.form);
  container.append(formSection);

  return {
    onChange: (change) => {
      if (!initiative || change.initiativeId !== initiative.id) return;
      if (change.version !== null && seenVersion !== undefined && change.version <= seenVersion) return;
      changed.replaceChildren(
        h(
          'p',
          { class: 'notice' },
          t('changedMeanwhile'),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'link-button inline',
              onclick: () =>
                void load()
                  .then(() => {
                    showInitiative();
                    if (!allowed) {
                      form.disable();
                      changed.replaceChildren(h('p', { class: 'notice' }, t('noLongerPossible')));
                    }
                  })
                  .catch(context.fail),
            },
            t('showCurrentState'),
          ),
        ),
      );
    },
  };
};
