/** Sign-in: the viewer's token, checked against the API and kept in sessionStorage for this session only. */
import { ApiError, api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * @param {HTMLElement} main
 * @param {{ message?: string | undefined, onSignedIn: (token: string) => void }} options
 */
export function showSignIn(main, { message, onSignedIn }) {
  const error = h('p', { id: 'token-error', class: 'error', role: 'alert' }, message ?? '');
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint token-error',
  });
  /** @param {string} text */
  const refuse = (text) => {
    error.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  const form = h(
    'form',
    {
      class: 'sign-in',
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return refuse(t('tokenMissing'));
        api.stats(token).then(
          () => onSignedIn(token),
          (failure) =>
            refuse(
              failure instanceof ApiError && failure.status === 401 ? t('tokenRefused') : String(failure),
            ),
        );
      },
    },
    h('p', {}, h('label', { for: 'token' }, t('tokenLabel')), input),
    h('p', { id: 'token-hint', class: 'hint' }, t('tokenHint')),
    error,
    h('p', {}, h('button', { type: 'submit' }, t('signIn'))),
  );
  main.replaceChildren(h('h1', { tabindex: -1 }, t('signInTitle')), h('p', {}, t('signInIntro')), form);
  if (message) input.setAttribute('aria-invalid', 'true');
}
