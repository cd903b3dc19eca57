/**
 * The lifecycle of one initiative as an inline SVG: the phases of its channel in order, the revision
 * loop, and the other endings. The current phase, the phases passed and each Land's review state are
 * told by border, symbol and words, never by colour alone; the whole picture has a text equivalent.
 */
import { svg } from './dom.js';
import { label, t } from './i18n.js';

/** @typedef {import('./api.js').Initiative} Initiative */
/** @typedef {import('./api.js').HistoryItem} HistoryItem */
/** @typedef {'current' | 'done' | 'skipped' | 'upcoming'} NodeState */
/** @typedef {{ text: string, land?: string, review?: string }} Line */

const WIDTH = 204;
const GAP = 32;
const MARGIN = 8;
const LINE = 19;

const MAIN_PATH = {
  joint: ['review', 'consultation', 'adopted'],
  bundesrat: ['review', 'consultation', 'cabinet', 'bundesrat', 'adopted'],
  laenderkreis: ['review', 'consultation', 'conference', 'adopted'],
};
const OTHER_ENDINGS = ['rejected', 'withdrawn', 'expired'];

export const REVIEW_SYMBOL = /** @type {Record<string, string>} */ ({
  approved: '✓',
  changes_requested: '✎',
  rejected: '✗',
  pending: '○',
});
const DECISION_SYMBOL = /** @type {Record<string, string>} */ ({
  approved: '✓',
  joined: '✓',
  declined: '✗',
  no_response: '–',
  pending: '○',
});

/** Phases the initiative has entered, from its history. @param {HistoryItem[]} history */
function enteredPhases(history) {
  const entered = new Set(['review']);
  for (const item of history) if (item.type === 'phase_changed') entered.add(String(item.data.to));
  return entered;
}

/**
 * @param {string} phase
 * @param {Initiative} initiative
 * @param {Set<string>} entered
 * @param {string[]} path
 * @returns {NodeState}
 */
function stateOf(phase, initiative, entered, path) {
  if (phase === initiative.phase) return 'current';
  if (entered.has(phase)) return 'done';
  // A phase of the path left out on the way to a later one (consultation without invitations).
  const reached = path.indexOf(initiative.phase);
  if (reached > path.indexOf(phase) && path.includes(phase)) return 'skipped';
  return 'upcoming';
}

/** What a node says below its title. @param {string} phase @param {Initiative} initiative @returns {Line[]} */
function detailsOf(phase, initiative) {
  /** @param {string} land @param {string} symbol @param {string} text */
  const landLine = (land, symbol, text) => ({ text: `${land}: ${symbol} ${text}`, land });
  switch (phase) {
    case 'review':
      return initiative.reviews.map((r) => ({
        ...landLine(r.land, REVIEW_SYMBOL[r.status] ?? '', label('review', r.status)),
        review: r.status,
      }));
    case 'consultation':
      return initiative.invitations.map((i) =>
        landLine(i.land, DECISION_SYMBOL[i.status] ?? '', label('invitation', i.status)),
      );
    case 'cabinet':
      return initiative.cabinetDecisions.map((c) =>
        landLine(c.land, DECISION_SYMBOL[c.status] ?? '', label('cabinetStatus', c.status)),
      );
    case 'bundesrat':
      return initiative.bundesrat ? [{ text: label('bundesratStatus', initiative.bundesrat.status) }] : [];
    case 'revision':
      return initiative.revision > 1 ? [{ text: `${t('round')} ${initiative.revision}` }] : [];
    default:
      return [];
  }
}

/** Splits a title into lines of about `width` characters. @param {string} text */
function wrap(text, width = 20) {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if ((lines[last] ?? '').length + word.length + 1 > width && lines[last] !== '') lines.push(word);
    else lines[last] = `${lines[last]} ${word}`.trim();
  }
  return lines;
}

const STATE_TEXT = /** @type {Record<NodeState, string>} */ ({
  current: 'currentPhase',
  done: 'donePhase',
  skipped: 'skippedPhase',
  upcoming: 'upcomingPhase',
});

/**
 * One phase as a box: title, its state in words, its details.
 * @param {{ phase: string, state: NodeState, details: Line[], x: number, y: number, height: number }} node
 */
function box({ phase, state, details, x, y, height }) {
  const title = wrap(label('phase', phase));
  const stateWords = `${state === 'current' ? '● ' : state === 'done' ? '✓ ' : ''}${t(STATE_TEXT[state])}`;
  const group = svg('g', { class: `node ${state}`, 'data-phase': phase, 'data-state': state });
  group.append(svg('rect', { x, y, width: WIDTH, height, rx: 8, class: 'frame' }));
  let baseline = y + 22;
  for (const line of title) {
    group.append(svg('text', { x: x + 10, y: baseline, class: 'title' }, line));
    baseline += LINE;
  }
  group.append(svg('text', { x: x + 10, y: baseline, class: 'state' }, stateWords));
  for (const line of details) {
    baseline += LINE + 4;
    if (line.review) {
      // Each Land's review state as a labelled pill, readable on every node background.
      const pill = svg('g', {
        class: `pill ${line.review}`,
        'data-land': line.land,
        'data-review': line.review,
      });
      pill.append(svg('rect', { x: x + 8, y: baseline - 15, width: WIDTH - 16, height: 21, rx: 10 }));
      pill.append(svg('text', { x: x + 16, y: baseline }, line.text));
      group.append(pill);
    } else group.append(svg('text', { x: x + 10, y: baseline, class: 'detail' }, line.text));
  }
  return group;
}

/** @param {number} x1 @param {number} y1 @param {number} x2 @param {number} y2 */
const arrow = (x1, y1, x2, y2) =>
  svg('line', { x1, y1, x2, y2, class: 'arrow', 'marker-end': 'url(#dd-arrow)' });

/**
 * @param {Initiative} initiative
 * @param {HistoryItem[]} history
 * @returns {SVGElement}
 */
export function lifecycleDiagram(initiative, history) {
  const entered = enteredPhases(history);
  const path = MAIN_PATH[initiative.channel];
  const details = Object.fromEntries(
    [...path, 'revision'].map((phase) => [phase, detailsOf(phase, initiative)]),
  );
  const longest = Math.max(...Object.values(details).map((lines) => lines.length), 0);
  const mainHeight = 2 * LINE + 28 + longest * (LINE + 4) + 6;
  const endingHeight = 2 * LINE + 28;
  const row2 = MARGIN + mainHeight + 54;
  // At least four columns: the second row holds revision and the three other endings.
  const columns = Math.max(path.length, 1 + OTHER_ENDINGS.length);
  const width = MARGIN * 2 + columns * WIDTH + (columns - 1) * GAP;
  const height = row2 + endingHeight + MARGIN;

  const review = initiative.reviews.map((r) => `${r.land}: ${label('review', r.status)}`).join('; ');
  const picture = svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': 'diagram-title diagram-desc',
      class: 'lifecycle',
    },
    svg('title', { id: 'diagram-title' }, t('diagramTitle', { id: initiative.id })),
    svg(
      'desc',
      { id: 'diagram-desc' },
      t('diagramDesc', { phase: label('phase', initiative.phase), reviews: review ? `${review}.` : '' }),
    ),
    svg(
      'defs',
      {},
      svg(
        'marker',
        {
          id: 'dd-arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 8,
          markerHeight: 8,
          orient: 'auto',
        },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }),
      ),
    ),
  );

  path.forEach((phase, index) => {
    const x = MARGIN + index * (WIDTH + GAP);
    picture.append(
      box({
        phase,
        state: stateOf(phase, initiative, entered, path),
        details: details[phase] ?? [],
        x,
        y: MARGIN,
        height: mainHeight,
      }),
    );
    if (index > 0) picture.append(arrow(x - GAP + 2, MARGIN + 30, x - 2, MARGIN + 30));
  });

  // The revision loop below review, and the other endings beside it.
  const revisionState = stateOf('revision', initiative, entered, []);
  picture.append(
    box({
      phase: 'revision',
      state: revisionState,
      details: details.revision ?? [],
      x: MARGIN,
      y: row2,
      height: endingHeight,
    }),
    arrow(MARGIN + WIDTH / 3, MARGIN + mainHeight + 2, MARGIN + WIDTH / 3, row2 - 2),
    arrow(MARGIN + (2 * WIDTH) / 3, row2 - 2, MARGIN + (2 * WIDTH) / 3, MARGIN + mainHeight + 2),
    svg('text', { x: MARGIN + WIDTH + GAP, y: row2 - 10, class: 'caption' }, t('otherEndings')),
  );
  OTHER_ENDINGS.forEach((phase, index) => {
    const x = MARGIN + (index + 1) * (WIDTH + GAP);
    picture.append(
      box({
        phase,
        state: stateOf(phase, initiative, entered, []),
        details: [],
        x,
        y: row2,
        height: endingHeight,
      }),
    );
  });
  return picture;
}
