/**
 * Sending commands: JSON bodies with the signed-in principal's token, `If-Match` with the version the user
 * saw, and an `Idempotency-Key` per submission attempt that a retry of the same submission reuses, so that
 * a retry after a lost answer (network error, 503) never acts twice.
 */
import { session } from './api.js';

/** @typedef {import('./api.js').Initiative} Initiative */
/**
 * @typedef {object} Problem RFC 9457 problem details as the API sends them
 * @property {string} type
 * @property {string} title
 * @property {number} status
 * @property {string} [detail]
 * @property {{ path: string, message: string }[]} [errors]
 */
/**
 * What became of a submission:
 * - `done`: accepted; the resource as it stands after the command (an initiative, or a minted token);
 * - `refused`: a definite answer, nothing changed (`running`: the same submission is still being processed);
 * - `unknown`: no answer or a 5xx: the command may or may not have happened; send it again.
 * @typedef {{ kind: 'done', status: number, body: unknown }
 *   | { kind: 'refused', status: number, problem: Problem, running: boolean }
 *   | { kind: 'unknown', status: number | null }} Outcome
 */

/** 128 random bits as hex: getRandomValues works outside secure contexts too, unlike randomUUID. */
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** @param {Response} response @returns {Promise<Problem>} */
async function problemOf(response) {
  /** @type {unknown} */
  const body = await response.json().catch(() => ({}));
  const problem = /** @type {Partial<Problem>} */ (body);
  return {
    type: problem.type ?? `about:blank#${response.status}`,
    title: problem.title ?? response.statusText,
    status: response.status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    ...(problem.errors === undefined ? {} : { errors: problem.errors }),
  };
}

/**
 * A submission channel for one form: each `send` with a body (and version) different from the last
 * unanswered one is a new attempt with a new key; the same body again reuses the key.
 * @param {string} path where the command goes, e.g. /v1/initiatives/DD-2026-0001/reviews
 * @param {{ token?: () => string | null }} [options] the token to send (default: the session's)
 */
export function submission(path, { token = () => session.token } = {}) {
  /** @type {{ key: string, fingerprint: string } | undefined} */
  let unanswered;

  /**
   * @param {unknown} body
   * @param {number} [version] sent as If-Match
   * @returns {Promise<Outcome>}
   */
  async function send(body, version) {
    const fingerprint = JSON.stringify([body, version ?? null]);
    if (unanswered?.fingerprint !== fingerprint) unanswered = { key: newKey(), fingerprint };
    /** @type {Record<string, string>} */
    const headers = {
      accept: 'application/json',
      'content-type': 'application/json',
      'idempotency-key': unanswered.key,
    };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (version !== undefined) headers['if-match'] = `"${version}"`;
    /** @type {Response} */
    let response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      return { kind: 'unknown', status: null };
    }
    if (response.status >= 500) return { kind: 'unknown', status: response.status };
    // 409 with Retry-After: the first request under this key still runs (docs/api.md); a retry is the same
    // attempt. Every other answer is final, and the next send is a new attempt.
    const running = response.status === 409 && response.headers.has('retry-after');
    if (!running) unanswered = undefined;
    if (response.ok) {
      /** @type {unknown} */
      const resource = await response.json();
      return { kind: 'done', status: response.status, body: resource };
    }
    return { kind: 'refused', status: response.status, problem: await problemOf(response), running };
  }

  return { send };
}
