/** One initiative: its facts, the lifecycle diagram, reviews, invitations, cabinet, Bundesrat and timeline. */
import { ApiError, api } from '../api.js';
import { lifecycleDiagram, REVIEW_SYMBOL } from '../diagram.js';
import { h, replaceContent } from '../dom.js';
import { date, dateTime, deadline } from '../format.js';
import { label, t } from '../i18n.js';
import { debounced, overdueFlag, phaseBadge, scrollRegion, section, table } from './parts.js';

/** @typedef {import('../api.js').Initiative} Initiative */
/** @typedef {import('../api.js').HistoryItem} HistoryItem */
/** @typedef {import('../dom.js').Child} Child */

/** @param {[string, Child][]} pairs */
const facts = (pairs) =>
  h(
    'dl',
    { class: 'facts' },
    pairs.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))),
  );

/** @param {{ name: string, land?: string | null } | undefined} person */
const personOf = (person) =>
  person ? `${person.name}${person.land ? ` (${person.land})` : ''}` : t('noValue');

/** A timeline entry's particulars in words. @param {HistoryItem} item @returns {string} */
function particulars(item) {
  const d = item.data;
  const text = (/** @type {unknown} */ value) => (typeof value === 'string' ? value : '');
  const parts = [];
  switch (item.type) {
    case 'review_decided':
      parts.push(`${text(d.land)}: ${label('review', text(d.decision))}`);
      break;
    case 'phase_changed':
      parts.push(`${label('phase', text(d.from))} → ${label('phase', text(d.to))}`);
      break;
    case 'revision_submitted':
      parts.push(`${t('round')} ${String(d.revision)}`);
      break;
    case 'invited':
      parts.push(Array.isArray(d.lands) ? d.lands.join(', ') : '');
      break;
    case 'invitation_answered':
      parts.push(`${text(d.land)}: ${label('invitation', text(d.decision))}`);
      break;
    case 'cabinet_decided':
      parts.push(`${text(d.land)}: ${label('cabinetStatus', text(d.decision))}, ${date(text(d.decidedOn))}`);
      break;
    case 'bundesrat_submitted':
      parts.push(`${t('drucksache')} ${text(d.drucksache)}, ${label('procedure', text(d.procedure))}`);
      break;
    case 'bundesrat_referred':
      parts.push(Array.isArray(d.committees) ? d.committees.join(', ') : '');
      break;
    case 'plenary_decided':
      parts.push(`${label('decision', text(d.decision))}, ${date(text(d.decidedOn))}`);
      break;
    case 'withdrawn':
      parts.push(text(d.reason));
      break;
    default:
      if (typeof d.land === 'string') parts.push(d.land);
  }
  if (typeof d.comment === 'string' && d.comment) parts.push(`„${d.comment}“`);
  return parts.filter(Boolean).join(' – ');
}

/** @param {Initiative} initiative @param {HistoryItem[]} history */
function lifecycle(initiative, history) {
  return section(
    'lifecycle',
    t('lifecycleTitle'),
    // Wide pictures scroll sideways on small screens.
    scrollRegion(
      h('div', { class: 'diagram-scroll' }),
      t('lifecycleTitle'),
      lifecycleDiagram(initiative, history),
    ),
    h(
      'div',
      { class: 'legend' },
      h('h3', {}, t('lifecycleLegend')),
      h(
        'ul',
        {},
        ['legendCurrent', 'legendDone', 'legendUpcoming', 'legendReview'].map((key) => h('li', {}, t(key))),
      ),
    ),
  );
}

/** @param {Initiative} i */
function participation(i) {
  const sections = [
    section(
      'reviews',
      t('reviewsTitle'),
      table(
        t('reviewsTitle'),
        [t('land'), t('status'), t('by'), t('at'), t('dueAt'), t('comment')],
        i.reviews.map((r) => [
          label('landName', r.land),
          h(
            'span',
            { class: `review ${r.status}`, 'data-review': r.status, 'data-land': r.land },
            `${REVIEW_SYMBOL[r.status] ?? ''} ${label('review', r.status)}`,
          ),
          personOf(r.by),
          dateTime(r.at),
          deadline(r.dueAt),
          r.comment ?? t('noValue'),
        ]),
        { captionHidden: true },
      ),
    ),
  ];
  if (i.invitations.length > 0)
    sections.push(
      section(
        'invitations',
        t('invitationsTitle'),
        table(
          t('invitationsTitle'),
          [t('land'), t('status'), t('dueAt')],
          i.invitations.map((v) => [
            label('landName', v.land),
            label('invitation', v.status),
            deadline(v.dueAt),
          ]),
          { captionHidden: true },
        ),
      ),
    );
  if (i.cabinetDecisions.length > 0)
    sections.push(
      section(
        'cabinet',
        t('cabinetTitle'),
        table(
          t('cabinetTitle'),
          [t('land'), t('status'), t('at'), t('by')],
          i.cabinetDecisions.map((c) => [
            label('landName', c.land),
            label('cabinetStatus', c.status),
            date(c.decidedOn),
            personOf(c.by),
          ]),
          { captionHidden: true },
        ),
      ),
    );
  const b = i.bundesrat;
  if (b)
    sections.push(
      section(
        'bundesrat',
        t('bundesratTitle'),
        facts([
          [t('status'), label('bundesratStatus', b.status)],
          [t('applicants'), b.applicants.join(', ')],
          [t('drucksache'), b.drucksache ?? t('noValue')],
          [t('procedure'), b.procedure ? label('procedure', b.procedure) : t('noValue')],
          [
            t('plenarySession'),
            b.plenarySession
              ? t('plenarySessionValue', {
                  number: b.plenarySession.number,
                  date: date(b.plenarySession.date),
                })
              : t('noValue'),
          ],
          [
            t('committees'),
            b.committees
              ? `${b.committees.join(', ')} (${t('leadCommittee')}: ${b.leadCommittee ?? '–'})`
              : t('noValue'),
          ],
          [t('postponements'), b.postponements],
          ...(b.decision
            ? /** @type {[string, Child][]} */ ([
                [t('outcome'), `${label('decision', b.decision)}, ${date(b.decidedOn)}`],
              ])
            : []),
          ...(b.forwardingDueOn
            ? /** @type {[string, Child][]} */ ([[t('forwardingDueOn'), date(b.forwardingDueOn)]])
            : []),
        ]),
      ),
    );
  return sections;
}

/** @param {Initiative} i @param {HistoryItem[]} history */
function page(i, history) {
  return [
    h(
      'p',
      { class: 'meta' },
      `${t('reference')} ${i.id} · `,
      phaseBadge(i.phase),
      i.overdue ? [' · ', overdueFlag()] : null,
    ),
    h('p', { class: 'summary' }, i.summary),
    facts([
      [t('topic'), label('topic', i.topic)],
      [t('channel'), label('channel', i.channel)],
      ...(i.instrument
        ? /** @type {[string, Child][]} */ ([[t('instrument'), label('instrument', i.instrument)]])
        : []),
      [t('leadLand'), label('landName', i.leadLand)],
      [t('proposer'), personOf(i.proposer)],
      ...(i.ressort ? /** @type {[string, Child][]} */ ([[t('ressort'), i.ressort]]) : []),
      [t('round'), i.revision],
      [t('createdAt'), dateTime(i.createdAt)],
      [t('updatedAt'), dateTime(i.updatedAt)],
      [t('version'), i.version],
      ...(i.outcome
        ? /** @type {[string, Child][]} */ ([
            [t('outcome'), `${label('phase', i.outcome.result)}, ${dateTime(i.outcome.at)}`],
          ])
        : []),
    ]),
    lifecycle(i, history),
    participation(i),
    section(
      'pending',
      t('pendingTitle'),
      i.pendingActions.length === 0
        ? h('p', {}, t('pendingNone'))
        : h(
            'ul',
            {},
            i.pendingActions.map((a) =>
              h(
                'li',
                {},
                `${label('action', a.action)} – ${label('landName', a.land)}, ${label('role', a.role)}`,
                a.dueAt ? ` (${t('dueAt')}: ${deadline(a.dueAt)})` : '',
              ),
            ),
          ),
    ),
    section(
      'timeline',
      t('timelineTitle'),
      h(
        'ol',
        { class: 'timeline' },
        history.map((item) =>
          h(
            'li',
            { 'data-seq': item.seq },
            h('time', { datetime: item.at }, dateTime(item.at)),
            ' ',
            h('strong', {}, label('event', item.type)),
            ` – ${item.actor.role === 'system' ? t('system') : personOf(item.actor)}`,
            particulars(item) ? h('span', { class: 'particulars' }, ` · ${particulars(item)}`) : null,
          ),
        ),
      ),
    ),
  ];
}

/** @type {import('../router.js').View} */
export const showInitiative = async (main, params, context) => {
  const heading = h('h1', { tabindex: -1 }, params.id);
  const content = h('div', {}, h('p', {}, t('loading')));
  main.append(heading, content);
  /** @type {number | undefined} */
  let shownVersion;

  const load = async () => {
    try {
      const [initiative, history] = await Promise.all([api.initiative(params.id), api.history(params.id)]);
      heading.textContent = initiative.title;
      document.title = `${initiative.title} – ${t('appName')}`;
      replaceContent(content, page(initiative, history.items));
      if (shownVersion !== undefined && shownVersion !== initiative.version)
        context.announce(t('updated', { id: initiative.id, phase: label('phase', initiative.phase) }));
      shownVersion = initiative.version;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      replaceContent(content, [
        h('p', {}, t('notFound')),
        h('p', {}, h('a', { href: '#/initiatives' }, t('backToList'))),
      ]);
    }
  };
  await load();
  const reload = debounced(load, context.fail, 100);
  return {
    onChange: (change) => {
      if (change.initiativeId === params.id) reload();
    },
  };
};
