/** Pieces the views share: tables, links, phase badges, debounced refreshes. */
import { append, h } from '../dom.js';
import { label, t } from '../i18n.js';

/** @typedef {import('../dom.js').Child} Child */

/**
 * A data table with a caption, column headers and the first cell of each row as its header.
 * @param {string} caption
 * @param {string[]} columns
 * @param {Child[][]} rows
 * @param {{ captionHidden?: boolean }} [options]
 */
export function table(caption, columns, rows, { captionHidden = false } = {}) {
  return scrollRegion(
    h('div', { class: 'table-wrap' }),
    caption,
    h(
      'table',
      {},
      h('caption', captionHidden ? { class: 'visually-hidden' } : {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((column) => h('th', { scope: 'col' }, column)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(([first, ...rest]) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, first),
            rest.map((cell) => h('td', {}, cell)),
          ),
        ),
      ),
    ),
  );
}

const overflowing = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    // Only a region that scrolls becomes a named tab stop, so keyboards can scroll it (WCAG 2.1.1).
    if (target.scrollWidth > target.clientWidth) {
      target.setAttribute('tabindex', '0');
      target.setAttribute('role', 'region');
      target.setAttribute('aria-label', target.getAttribute('data-region-name') ?? '');
    } else for (const name of ['tabindex', 'role', 'aria-label']) target.removeAttribute(name);
  }
});

/**
 * Content wider than the screen (tables, the diagram) scrolls sideways inside `region`, named `name`.
 * @template {HTMLElement} E
 * @param {E} region
 * @param {string} name
 * @param {...(Child | Child[])} content
 * @returns {E}
 */
export function scrollRegion(region, name, ...content) {
  region.setAttribute('data-region-name', name);
  append(region, content);
  overflowing.observe(region);
  return region;
}

/** @param {string} id */
export const initiativeLink = (id) =>
  h('a', { href: `#/initiatives/${encodeURIComponent(id)}`, 'data-focus-key': `initiative-${id}` }, id);

/** @param {string} phase */
export const phaseBadge = (phase) =>
  h('span', { class: `phase phase-${phase}`, 'data-phase': phase }, label('phase', phase));

export const overdueFlag = () => h('span', { class: 'flag-overdue' }, `⚠ ${t('overdueFlag')}`);

/**
 * A section with a heading (h2) whose id labels it.
 * @param {string} id
 * @param {string} heading
 * @param {...(Child | Child[])} content
 */
export function section(id, heading, ...content) {
  return h(
    'section',
    { 'aria-labelledby': `${id}-heading`, id },
    h('h2', { id: `${id}-heading` }, heading),
    ...content,
  );
}

/**
 * Runs `task` once after changes stop arriving for a moment: a burst of events loads once.
 * @param {() => Promise<void>} task
 * @param {(error: unknown) => void} onError
 */
export function debounced(task, onError, delayMs = 250) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => task().catch(onError), delayMs);
  };
}
