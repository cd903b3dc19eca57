/**
 * What the user typed into a form, kept in sessionStorage until the command is accepted: a reload, an
 * expired sign-in or a refused command loses nothing. Per principal, command and initiative; gone with
 * the browser session.
 */

/** @typedef {import('./kit.js').Values} Values */

/** @param {string} sub @param {string} action @param {string} id */
export function draftOf(sub, action, id) {
  const key = `dd.draft.${JSON.stringify([sub, action, id])}`;
  return {
    /** @returns {Values | undefined} */
    load() {
      const text = sessionStorage.getItem(key);
      if (!text) return undefined;
      try {
        /** @type {unknown} */
        const values = JSON.parse(text);
        return /** @type {Values} */ (values);
      } catch {
        return undefined;
      }
    },
    /** @param {Values} values */
    save(values) {
      sessionStorage.setItem(key, JSON.stringify(values));
    },
    clear() {
      sessionStorage.removeItem(key);
    },
  };
}
