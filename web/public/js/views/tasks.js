/**
 * My tasks (GET /v1/tasks): the start page for anyone with something to do. Soonest due first (the API's
 * order), overdue ones marked in words and colour, filtered by action and Land without leaving the page,
 * the number of open tasks in the tab title. Each task links straight to its form.
 */
import { api } from '../api.js';
import { h, replaceContent } from '../dom.js';
import { deadline } from '../format.js';
import { label, t } from '../i18n.js';
import { showTaskCount } from '../principal.js';
import { debounced, initiativeLink, overdueFlag, table } from './parts.js';

/** @typedef {import('../api.js').Task} Task */

/** The actions with a form of their own; `calendar` is done on the plenary calendar, not on a form. */
const WITH_FORM = new Set(['review', 'revise', 'respond', 'cabinet', 'submit', 'refer', 'decide']);
const FILTERS = /** @type {const} */ (['action', 'land']);

/** @param {Task} task */
function taskLink(task) {
  const href = WITH_FORM.has(task.action)
    ? `#/initiatives/${encodeURIComponent(task.initiativeId)}/${task.action}`
    : `#/initiatives/${encodeURIComponent(task.initiativeId)}`;
  return h(
    'a',
    { href, 'data-focus-key': `task-${task.initiativeId}-${task.action}-${task.land}` },
    label('action', task.action),
  );
}

/**
 * @param {Task[]} all
 * @param {URLSearchParams} query
 * @param {(name: string, value: string) => void} onFilter
 */
function filterForm(all, query, onFilter) {
  /** @param {'action' | 'land'} name */
  const values = (name) =>
    [...new Set([...all.map((task) => task[name]), query.get(name) ?? ''])].filter(Boolean).sort();
  const kind = { action: 'action', land: 'landName' };
  return h(
    'form',
    {
      class: 'filters task-filters',
      'aria-labelledby': 'task-filters-heading',
      onsubmit: (event) => event.preventDefault(),
    },
    h('h2', { id: 'task-filters-heading' }, t('filterTitle')),
    h(
      'div',
      { class: 'filter-fields' },
      FILTERS.map((name) =>
        h(
          'p',
          {},
          h('label', { for: `task-filter-${name}` }, t(name === 'action' ? 'taskAction' : 'land')),
          h(
            'select',
            {
              id: `task-filter-${name}`,
              name,
              'data-focus-key': `task-filter-${name}`,
              onchange: (event) =>
                onFilter(name, /** @type {HTMLSelectElement} */ (event.currentTarget).value),
            },
            h('option', { value: '' }, t('any')),
            values(name).map((value) =>
              h('option', { value, selected: query.get(name) === value }, label(kind[name], value)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** @param {Task[]} tasks */
function taskTable(tasks) {
  const wrap = table(
    t('myTasks'),
    [t('taskAction'), t('initiative'), t('dueAt'), t('land'), t('role')],
    tasks.map((task) => [
      taskLink(task),
      h('span', {}, initiativeLink(task.initiativeId), ` ${task.title}`),
      task.overdue
        ? h('span', {}, overdueFlag(), ' ', deadline(task.dueAt))
        : task.dueAt
          ? deadline(task.dueAt)
          : t('noDeadline'),
      label('landName', task.land),
      label('role', task.role),
    ]),
    { captionHidden: true },
  );
  wrap.querySelectorAll('tbody tr').forEach((row, index) => {
    if (tasks[index]?.overdue) row.classList.add('overdue');
  });
  return wrap;
}

/** @type {import('../router.js').View} */
export const showTasks = async (container, params, context) => {
  const query = new URLSearchParams(params.query);
  const filters = h('div', {});
  const count = h('p', { id: 'task-summary', role: 'status' });
  const results = h('div', {});
  container.append(h('h1', { tabindex: -1 }, t('myTasks')), filters, count, results);
  /** @type {Task[]} */
  let all = [];

  const render = () => {
    const shown = all.filter((task) =>
      FILTERS.every((name) => !query.get(name) || task[name] === query.get(name)),
    );
    const overdue = all.filter((task) => task.overdue).length;
    document.title = `(${all.length}) ${t('myTasks')} – ${t('appName')}`;
    showTaskCount(all.length);
    replaceContent(filters, [filterForm(all, query, onFilter)]);
    const summary = [
      t('openTasks', { count: all.length }),
      overdue > 0 ? t('overdueTasks', { count: overdue }) : '',
      shown.length !== all.length ? t('tasksShown', { count: shown.length }) : '',
    ]
      .filter(Boolean)
      .join(' · ');
    // A status region: told when it changes, not on every refresh.
    if (count.textContent !== summary) count.textContent = summary;
    replaceContent(results, [
      shown.length === 0 ? h('p', {}, t(all.length === 0 ? 'noTasks' : 'noTasksFiltered')) : taskTable(shown),
    ]);
  };
  /** Filters apply at once; the address keeps them (without a new history entry or a new view). */
  const onFilter = (/** @type {string} */ name, /** @type {string} */ value) => {
    if (value) query.set(name, value);
    else query.delete(name);
    history.replaceState(null, '', `#/tasks${query.size ? `?${query}` : ''}`);
    render();
  };
  const load = async () => {
    all = (await api.tasks()).items;
    render();
  };
  await load();
  return { onChange: debounced(load, context.fail) };
};
