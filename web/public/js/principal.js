/**
 * The signed-in principal (GET /v1/me) and what the page shell shows of them: who is signed in with which
 * Land and roles, the link to their tasks with the number of open ones, and "new initiative" for those who
 * may create one.
 */
import { api } from './api.js';
import { label, t } from './i18n.js';

/** @typedef {import('./api.js').Me} Me */

/** @type {Me | undefined} */
let current;
/** @type {number | undefined} */
let openTasks;

/** @param {string} id */
const element = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** Roles that act; viewers only read, and start on the overview. @param {Me} me */
export const acts = (me) => me.roles.some((role) => role !== 'viewer');

/** @returns {Promise<Me>} */
export async function loadPrincipal() {
  current = await api.me();
  return current;
}

export const signedInPrincipal = () => current;

export function forgetPrincipal() {
  current = undefined;
  openTasks = undefined;
  showPrincipal();
}

/** Shows (or, signed out, hides) the principal in the page shell, in the current language. */
export function showPrincipal() {
  const who = element('who');
  who.hidden = current === undefined;
  element('nav-tasks').hidden = current === undefined || !acts(current);
  element('nav-create').hidden = !current?.actions.some((a) => a.action === 'create');
  if (!current) return;
  who.textContent = t('signedInAs', {
    name: current.name,
    land: label('landName', current.land),
    roles: current.roles.map((role) => label('role', role)).join(', '),
  });
  showTaskCount(openTasks);
}

/** @param {number | undefined} count */
export function showTaskCount(count) {
  openTasks = count;
  element('task-count').textContent = count === undefined ? '' : `(${count})`;
}

/** Reloads the number of open tasks (after a change anywhere). */
export async function refreshTaskCount() {
  if (!current || !acts(current)) return;
  showTaskCount((await api.tasks()).items.length);
}
