/** A small element builder, so that views read like the markup they produce (text is never parsed as HTML). */

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | undefined | ((event: Event) => void)>} [attributes]
 *   `on<event>` entries become listeners; `false`/`undefined` leave the attribute out; `true` sets it empty.
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** @param {Element} parent @param {(Child | Child[])[]} children */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number | undefined>} [attributes]
 * @param {...(SVGElement | string | null | undefined | false)} children
 * @returns {SVGElement}
 */
export function svg(tag, attributes = {}, ...children) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) element.setAttribute(name, String(value));
  for (const child of children) if (child) element.append(child);
  return element;
}

/**
 * Replaces a region's content while keeping keyboard focus on the "same" control when it is rebuilt
 * (matched by `data-focus-key`), so that live updates do not throw keyboard users back to the top.
 * @param {Element} region
 * @param {(Child | Child[])[]} children
 */
export function replaceContent(region, children) {
  const focused = document.activeElement;
  const key = focused && region.contains(focused) ? focused.getAttribute('data-focus-key') : null;
  region.replaceChildren();
  append(region, children);
  if (key)
    /** @type {HTMLElement | null} */ (
      region.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)
    )?.focus();
}
