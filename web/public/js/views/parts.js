/** Pieces the views share: tables, links, phase badges, debounced refreshes. */
import { h } from '../dom.js';
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
  return h(
    'div',
    { class: 'table-wrap' },
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
