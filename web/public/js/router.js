/**
 * Hash routes (`#/`, `#/initiatives?…`, `#/initiatives/DD-…`, `#/tasks?…`, `#/new`, `#/initiatives/DD-…/review`),
 * so that deep links need no server routes.
 */

/**
 * @typedef {object} ViewContext
 * @property {(error: unknown) => void} fail shows an error, or the sign-in when the token is refused
 * @property {(message: string) => void} announce tells screen readers, politely
 */
/** @typedef {{ onChange?: (change: import('./events.js').Change) => void }} ViewHandle */
/** @typedef {{ id: string, query: string, action?: string }} RouteParams */
/** @typedef {(main: HTMLElement, params: RouteParams, context: ViewContext) => Promise<ViewHandle>} View */
/** @typedef {'overview' | 'list' | 'initiative' | 'tasks' | 'create' | 'command' | 'conferences' | 'formats'} RouteName */

/** @param {string} hash @returns {{ name: RouteName, params: RouteParams }} */
export function parseRoute(hash) {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const detail = /^\/initiatives\/([^/]+)$/.exec(path);
  if (detail?.[1]) return { name: 'initiative', params: { id: decodeURIComponent(detail[1]), query } };
  const command = /^\/initiatives\/([^/]+)\/([a-z]+)$/.exec(path);
  if (command?.[1] && command[2])
    return { name: 'command', params: { id: decodeURIComponent(command[1]), query, action: command[2] } };
  if (path === '/tasks') return { name: 'tasks', params: { id: '', query } };
  if (path === '/new') return { name: 'create', params: { id: '', query, action: 'create' } };
  if (path === '/initiatives') return { name: 'list', params: { id: '', query } };
  if (path === '/conferences') return { name: 'conferences', params: { id: '', query } };
  if (path === '/formats') return { name: 'formats', params: { id: '', query } };
  return { name: 'overview', params: { id: '', query } };
}
