/** The overview: overdue initiatives first, then counts by phase (with median durations), topic and Land. */
import { api } from '../api.js';
import { h, replaceContent } from '../dom.js';
import { label, t } from '../i18n.js';
import { dateTime, deadline, decimal } from '../format.js';
import { debounced, initiativeLink, phaseBadge, section, table } from './parts.js';

const PHASES = [
  'review',
  'revision',
  'consultation',
  'cabinet',
  'bundesrat',
  'adopted',
  'rejected',
  'withdrawn',
  'expired',
];

/** @param {string} key @param {string} value */
const filtered = (key, value) => `#/initiatives?${new URLSearchParams({ [key]: value })}`;

/** @param {import('../api.js').Initiative} i */
const soonestDue = (i) =>
  i.pendingActions
    .map((a) => a.dueAt)
    .filter((due) => due !== undefined)
    .sort()[0];

/**
 * @param {import('../api.js').Stats} stats
 * @param {import('../api.js').Initiative[]} overdue
 * @param {import('../api.js').Initiative[]} recent
 */
function sections(stats, overdue, recent) {
  return [
    section(
      'overdue',
      `${t('overdueTitle')} (${stats.overdue})`,
      overdue.length === 0
        ? h('p', {}, t('overdueNone'))
        : table(
            t('overdueTitle'),
            [t('reference'), t('title'), t('phase'), t('dueAt')],
            overdue.map((i) => [initiativeLink(i.id), i.title, phaseBadge(i.phase), deadline(soonestDue(i))]),
            { captionHidden: true },
          ),
    ),
    h(
      'div',
      { class: 'columns' },
      section(
        'by-phase',
        t('byPhaseTitle'),
        table(
          t('byPhaseTitle'),
          [t('phase'), t('count'), t('medianDays')],
          PHASES.map((phase) => [
            h(
              'a',
              { href: filtered('phase', phase), 'data-focus-key': `phase-${phase}` },
              label('phase', phase),
            ),
            stats.byPhase[phase] ?? 0,
            decimal(stats.medianDaysInPhase[phase]),
          ]),
          { captionHidden: true },
        ),
        h('p', {}, t('total', { count: stats.total })),
      ),
      section(
        'by-topic',
        t('byTopicTitle'),
        table(
          t('byTopicTitle'),
          [t('topic'), t('count')],
          Object.entries(stats.byTopic).map(([topic, count]) => [
            h(
              'a',
              { href: filtered('topic', topic), 'data-focus-key': `topic-${topic}` },
              label('topic', topic),
            ),
            count,
          ]),
          { captionHidden: true },
        ),
      ),
    ),
    section(
      'recent',
      t('recentTitle'),
      table(
        t('recentTitle'),
        [t('reference'), t('title'), t('topic'), t('phase'), t('updatedAt')],
        recent.map((i) => [
          initiativeLink(i.id),
          i.title,
          label('topic', i.topic),
          phaseBadge(i.phase),
          dateTime(i.updatedAt),
        ]),
        { captionHidden: true },
      ),
      h('p', {}, h('a', { href: '#/initiatives' }, t('showAll'))),
    ),
    section(
      'by-land',
      t('byLandTitle'),
      table(
        t('byLandCaption'),
        [t('land'), t('count')],
        Object.entries(stats.byLand)
          .filter(([, count]) => count > 0)
          .map(([land, count]) => [
            h(
              'a',
              { href: filtered('land', land), 'data-focus-key': `land-${land}` },
              label('landName', land),
            ),
            count,
          ]),
      ),
    ),
  ];
}

/** @type {import('../router.js').View} */
export const showOverview = async (main, _params, context) => {
  const content = h('div', {}, h('p', {}, t('loading')));
  main.append(h('h1', { tabindex: -1 }, t('overview')), content);
  const load = async () => {
    const [stats, overdue, recent] = await Promise.all([
      api.stats(),
      api.list(new URLSearchParams({ overdue: 'true', limit: '20' })),
      api.list(new URLSearchParams({ limit: '10' })),
    ]);
    replaceContent(content, sections(stats, overdue.items, recent.items));
  };
  await load();
  return { onChange: debounced(load, context.fail) };
};
