/**
 * The "Formate" page: the formats the caller may read as a calendar list, and per format its Ressorts,
 * agenda, minutes with their outcomes, and the initiatives started from it (docs/formats.md). Read-only:
 * formats are planned and minuted through the API.
 */
import { api } from '../api.js';
import { h, replaceContent } from '../dom.js';
import { date } from '../format.js';
import { label, t } from '../i18n.js';
import { section, table } from './parts.js';

/** @typedef {import('../api.js').Format} Format */

/** @param {string} id */
const initiativeLink = (id) => h('a', { href: `#/initiatives/${encodeURIComponent(id)}` }, id);

/** @param {Format} format */
function formatSection(format) {
  const { minutes } = format;
  return section(
    `format-${format.id}`,
    `${date(format.date)} – ${format.title}`,
    h(
      'p',
      {},
      `${label('formatKind', format.kind)}`,
      format.time ? `, ${format.time}` : '',
      format.place ? `, ${format.place}` : '',
    ),
    h(
      'p',
      {},
      `${t('formatRessorts')}: `,
      format.ressorts.map((r) => `${r.land} ${r.key ?? `(${t('formatWholeLand')})`}`).join(', '),
    ),
    h('h3', {}, t('formatAgenda')),
    h(
      'ol',
      {},
      format.agenda.map((item) =>
        h('li', {}, item.title, item.initiativeId ? [' (', initiativeLink(item.initiativeId), ')'] : ''),
      ),
    ),
    ...(minutes
      ? [
          h('h3', {}, t('formatMinutes', { version: minutes.version })),
          h('p', { class: 'minutes' }, minutes.text),
          ...(minutes.outcomes.length === 0
            ? []
            : [
                h('h4', {}, t('formatOutcomes')),
                h(
                  'ul',
                  {},
                  minutes.outcomes.map((o) =>
                    h(
                      'li',
                      {},
                      o.text,
                      o.initiativeId ? [' (', initiativeLink(o.initiativeId), ')'] : '',
                      o.cabinetDecision ? ` – ${label('formatDecision', o.cabinetDecision)}` : '',
                    ),
                  ),
                ),
              ]),
        ]
      : [h('p', {}, t('formatNoMinutes'))]),
    ...(format.initiatives.length === 0
      ? []
      : [
          h('h3', {}, t('formatInitiatives')),
          h(
            'ul',
            {},
            format.initiatives.map((id) => h('li', {}, initiativeLink(id))),
          ),
        ]),
  );
}

/** @type {import('../router.js').View} */
export const showFormats = async (main) => {
  const content = h('div', {}, h('p', {}, t('loading')));
  main.append(h('h1', { tabindex: -1 }, t('formatsTitle')), h('p', {}, t('formatsIntro')), content);
  const { items } = await api.formats();
  if (items.length === 0) {
    replaceContent(content, [h('p', {}, t('formatsEmpty'))]);
    return {};
  }
  replaceContent(content, [
    table(
      t('formatsCalendar'),
      [
        t('formatDate'),
        t('formatTime'),
        t('formatKind'),
        t('formatTitle'),
        t('formatPlace'),
        t('formatMinutesColumn'),
      ],
      items.map((f) => [
        date(f.date),
        f.time ?? t('noValue'),
        label('formatKind', f.kind),
        f.title,
        f.place ?? t('noValue'),
        f.minutes ? t('yes') : t('no'),
      ]),
    ),
    ...items.map(formatSection),
  ]);
  return {};
};
