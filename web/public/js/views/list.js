/** The initiative list with the API's filters (phase, topic, channel, Land, overdue, text), page by page. */
import { api } from '../api.js';
import { h, replaceContent } from '../dom.js';
import { label, t } from '../i18n.js';
import { queryChoices } from '../schema.js';
import { dateTime } from '../format.js';
import { debounced, initiativeLink, overdueFlag, phaseBadge, section, table } from './parts.js';

/** The filters in the order shown; their values are the API's own (the list's query parameters). */
const FILTERS = ['phase', 'topic', 'channel', 'land', 'ressort', 'overdue'];
/** How each filter's values are labelled. */
const LABEL_KIND = /** @type {Record<string, string>} */ ({
  phase: 'phase',
  topic: 'topic',
  channel: 'channel',
  land: 'landName',
});

/** @param {string} name @param {string} value */
function optionLabel(name, value) {
  if (name === 'overdue') return value === 'true' ? t('yes') : t('no');
  // A Ressort's key is its customary abbreviation, the same in both languages.
  if (name === 'ressort') return value;
  return label(LABEL_KIND[name] ?? name, value);
}

/** @param {URLSearchParams} query @param {Record<string, string[]>} choices */
function filterForm(query, choices) {
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-labelledby': 'filters-heading',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
        const next = new URLSearchParams();
        for (const [name, value] of data)
          if (typeof value === 'string' && value.trim()) next.set(name, value.trim());
        location.hash = `#/initiatives${next.size ? `?${next}` : ''}`;
      },
    },
    h('h2', { id: 'filters-heading' }, t('filterTitle')),
    h(
      'div',
      { class: 'filter-fields' },
      FILTERS.map((name) =>
        h(
          'p',
          {},
          h('label', { for: `filter-${name}` }, t(name === 'overdue' ? 'overdue' : name)),
          h(
            'select',
            { id: `filter-${name}`, name },
            h('option', { value: '' }, t('any')),
            (choices[name] ?? []).map((value) =>
              h('option', { value, selected: query.get(name) === value }, optionLabel(name, value)),
            ),
          ),
        ),
      ),
      h(
        'p',
        {},
        h('label', { for: 'filter-q' }, t('search')),
        h('input', {
          id: 'filter-q',
          name: 'q',
          type: 'search',
          value: query.get('q') ?? '',
          maxlength: 200,
        }),
      ),
    ),
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'submit' }, t('filterApply')),
      h('a', { href: '#/initiatives', class: 'secondary' }, t('filterReset')),
    ),
  );
  return form;
}

/** @param {import('../api.js').Initiative[]} items */
const resultRows = (items) =>
  items.map((i) => [
    initiativeLink(i.id),
    i.title,
    label('topic', i.topic),
    phaseBadge(i.phase),
    i.leadLand,
    i.overdue ? overdueFlag() : t('no'),
    dateTime(i.updatedAt),
  ]);

/** @type {import('../router.js').View} */
export const showList = async (main, params, context) => {
  const query = new URLSearchParams(params.query);
  const results = h('div', { 'aria-live': 'off' }, h('p', {}, t('loading')));
  main.append(
    h('h1', { tabindex: -1 }, t('initiatives')),
    filterForm(query, await queryChoices('GET', '/v1/initiatives')),
    section('results', t('results'), results),
  );

  /** @type {import('../api.js').Initiative[]} */
  let items = [];
  /** @type {string | null} */
  let nextCursor = null;

  const render = () => {
    const more = nextCursor
      ? h(
          'button',
          {
            type: 'button',
            'data-focus-key': 'load-more',
            onclick: () => void loadMore().catch(context.fail),
          },
          t('loadMore'),
        )
      : null;
    replaceContent(results, [
      h('p', { id: 'results-count' }, t('resultsShown', { count: items.length })),
      items.length === 0
        ? h('p', {}, t('noResults'))
        : table(
            t('results'),
            [t('reference'), t('title'), t('topic'), t('phase'), t('leadLand'), t('overdue'), t('updatedAt')],
            resultRows(items),
            { captionHidden: true },
          ),
      more,
    ]);
  };
  const loadFirst = async () => {
    // A refresh keeps as many rows as are shown (the API serves up to 100 at once).
    const limit = String(Math.min(100, Math.max(20, items.length)));
    const page = await api.list(new URLSearchParams([...query, ['limit', limit]]));
    ({ items, nextCursor } = page);
    render();
  };
  const loadMore = async () => {
    if (!nextCursor) return;
    const page = await api.list(new URLSearchParams([...query, ['cursor', nextCursor]]));
    items = [...items, ...page.items];
    nextCursor = page.nextCursor;
    render();
  };
  await loadFirst();
  return { onChange: debounced(loadFirst, context.fail) };
};
