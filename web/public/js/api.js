/**
 * The API client: the viewer's token (kept in sessionStorage only, never in the page), JSON requests with
 * revalidation (the browser's cache answers 304s with what it holds) and RFC 9457 problems as errors.
 */

/** @typedef {import('../../../workflows/contracts.js').Initiative} Initiative */
/**
 * @typedef {object} HistoryItem
 * @property {number} seq
 * @property {string} at
 * @property {string} type
 * @property {{ sub: string, name: string, land: string | null, role: string }} actor
 * @property {Record<string, unknown>} data
 */
/**
 * @typedef {object} Stats
 * @property {number} total
 * @property {Record<string, number>} byPhase
 * @property {Record<string, number>} byTopic
 * @property {Record<string, number>} byLand
 * @property {number} overdue
 * @property {Record<string, number | null>} medianDaysInPhase
 */
/** @typedef {{ items: Initiative[], nextCursor: string | null }} InitiativePage */
/** @typedef {{ status: string, checks: Record<string, string>, temporalUi?: string }} Readiness */
/**
 * A command the caller may send (GET /v1/me, GET /v1/initiatives/{id}/allowed-actions).
 * @typedef {object} AllowedAction
 * @property {string} action
 * @property {'POST'} method
 * @property {string} operation the path template in the OpenAPI document
 * @property {string} path
 * @property {string[]} [lands]
 */
/** @typedef {{ sub: string, name: string, land: string, roles: string[], actions: AllowedAction[] }} Me */
/** @typedef {{ id: string, version: number, items: AllowedAction[] }} AllowedActions */
/**
 * @typedef {object} Task
 * @property {string} initiativeId
 * @property {string} title
 * @property {string} action
 * @property {string} land
 * @property {string} role
 * @property {string | null} dueAt
 * @property {boolean} overdue
 */
/** @typedef {{ mode: 'development' | 'production', developmentTokens: boolean }} SessionInfo */
/** @typedef {import('../../../workflows/conferences.js').Conference} Conference */
/**
 * A format as GET /v1/formats serves it (docs/formats.md).
 * @typedef {object} Format
 * @property {string} id
 * @property {number} version
 * @property {'fachdialog' | 'workshop' | 'jour_fixe' | 'joint_cabinet'} kind
 * @property {string} title
 * @property {string} date
 * @property {string | null} time
 * @property {string | null} place
 * @property {string[]} topics
 * @property {{ land: string, key?: string }[]} ressorts
 * @property {{ title: string, initiativeId?: string, practiceId?: string }[]} agenda
 * @property {{ version: number, text: string, outcomes: { text: string, initiativeId?: string, cabinetDecision?: string }[], at: string } | null} minutes
 * @property {string[]} initiatives
 */
/** @typedef {{ items: Format[], nextCursor: string | null }} FormatPage */
/** @typedef {import('../../../workflows/conferences.js').KoenigsteinTable} KoenigsteinTable */
/** @typedef {{ date: string, number: number | null, place: string | null, provisional: boolean, source: string }} ConferenceSession */

const TOKEN_KEY = 'dd.token';

export const session = {
  /** @returns {string | null} */
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** @param {string} token */
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

export class ApiError extends Error {
  /** @param {number} status @param {string} detail */
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/**
 * @param {string} path
 * @param {{ token?: string | null, signal?: AbortSignal }} [options]
 * @returns {Promise<unknown>}
 */
async function getJson(path, { token = session.token, signal } = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { headers, cache: 'no-cache', ...(signal ? { signal } : {}) });
  /** @type {unknown} */
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(
      response.status,
      /** @type {{ detail?: string }} */ (body).detail ?? response.statusText,
    );
  return body;
}

export const api = {
  /** @param {string} [token] @returns {Promise<Stats>} */
  stats: (token) => /** @type {Promise<Stats>} */ (getJson('/v1/stats', token ? { token } : {})),
  /** @param {URLSearchParams} query @returns {Promise<InitiativePage>} */
  list: (query) => /** @type {Promise<InitiativePage>} */ (getJson(`/v1/initiatives?${query}`)),
  /** @param {string} id @returns {Promise<Initiative>} */
  initiative: (id) =>
    /** @type {Promise<Initiative>} */ (getJson(`/v1/initiatives/${encodeURIComponent(id)}`)),
  /** @param {string} id @returns {Promise<{ items: HistoryItem[] }>} */
  history: (id) =>
    /** @type {Promise<{ items: HistoryItem[] }>} */ (
      getJson(`/v1/initiatives/${encodeURIComponent(id)}/history`)
    ),
  /** @returns {Promise<Me>} */
  me: () => /** @type {Promise<Me>} */ (getJson('/v1/me')),
  /** @returns {Promise<{ items: Task[] }>} */
  tasks: () => /** @type {Promise<{ items: Task[] }>} */ (getJson('/v1/tasks')),
  /** @param {string} id @returns {Promise<AllowedActions>} */
  allowedActions: (id) =>
    /** @type {Promise<AllowedActions>} */ (
      getJson(`/v1/initiatives/${encodeURIComponent(id)}/allowed-actions`)
    ),
  /** The formats the caller may read, by date (docs/formats.md). @returns {Promise<FormatPage>} */
  formats: () => /** @type {Promise<FormatPage>} */ (getJson('/v1/formats?limit=200')),
  /** @returns {Promise<Conference[]>} */
  conferences: () => /** @type {Promise<Conference[]>} */ (getJson('/v1/conferences')),
  /** @param {string} key @returns {Promise<ConferenceSession[]>} */
  conferenceSessions: (key) =>
    /** @type {Promise<ConferenceSession[]>} */ (
      getJson(`/v1/conferences/${encodeURIComponent(key)}/sessions`)
    ),
  /** The newest table; rejects with a 404 ApiError when there is none. @returns {Promise<KoenigsteinTable>} */
  koenigstein: () => /** @type {Promise<KoenigsteinTable>} */ (getJson('/v1/koenigstein')),
  /** Needs no token. @returns {Promise<SessionInfo>} */
  sessionInfo: () => /** @type {Promise<SessionInfo>} */ (getJson('/v1/session-info', { token: null })),
  /** /readyz needs no token; it also names the Temporal Web UI. @returns {Promise<Readiness>} */
  readiness: async () => {
    /** @type {unknown} */
    const body = await (await fetch('/readyz', { cache: 'no-store' })).json();
    return /** @type {Readiness} */ (body);
  },
};
