/**
 * The dashboard's entry: sign-in, routing, the live stream, the language switch and the operators' link.
 * Views live in views/, texts in i18n.js, requests in api.js and events.js; the signed-in principal and
 * their task count in principal.js.
 */
import { ApiError, api, session } from './api.js';
import { h } from './dom.js';
import { followChanges } from './events.js';
import { currentLanguage, setLanguage, t, translateShell } from './i18n.js';
import { acts, forgetPrincipal, loadPrincipal, refreshTaskCount, showPrincipal } from './principal.js';
import { parseRoute } from './router.js';
import { showCommand } from './views/command.js';
import { showConferences } from './views/conferences.js';
import { showFormats } from './views/formats.js';
import { offerDevelopmentSignIn } from './views/dev-signin.js';
import { showInitiativeWithActions } from './views/initiative-actions.js';
import { showList } from './views/list.js';
import { showOverview } from './views/overview.js';
import { debounced } from './views/parts.js';
import { showSignIn } from './views/signin.js';
import { showTasks } from './views/tasks.js';

/** @type {Record<import('./router.js').RouteName, import('./router.js').View>} */
const VIEWS = {
  overview: showOverview,
  list: showList,
  initiative: showInitiativeWithActions,
  tasks: showTasks,
  create: showCommand,
  command: showCommand,
  conferences: showConferences,
  formats: showFormats,
};

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const main = byId('main');
const liveStatus = byId('live-status');
const announcer = byId('announcer');

/** @type {import('./router.js').ViewHandle | undefined} */
let view;
/** @type {{ stop(): void } | undefined} */
let stream;
/** @type {import('./events.js').StreamState} */
let streamState = 'connecting';

/** @param {string} message */
function announce(message) {
  announcer.textContent = message;
}

/** @param {unknown} error */
function fail(error) {
  if (error instanceof ApiError && error.status === 401) return signOut(t('sessionExpired'));
  main.replaceChildren(
    h('h1', { tabindex: -1 }, t('errorTitle')),
    h(
      'p',
      { role: 'alert' },
      t('loadFailed', { detail: error instanceof Error ? error.message : String(error) }),
    ),
  );
}

function showLiveStatus() {
  const key = { connected: 'liveConnected', connecting: 'liveConnecting', reconnecting: 'liveOff' }[
    streamState
  ];
  liveStatus.dataset.state = streamState;
  liveStatus.textContent = t(key);
}

/** Shows the view of the current address; `focus` moves focus to its heading (after navigation). */
async function render(focus = false) {
  // Each rendering gets a container of its own: a view still loading for an earlier address writes into a
  // detached one.
  const container = h('div', { class: 'view' });
  main.replaceChildren(container);
  view = undefined;
  const { name, params } = parseRoute(location.hash);
  for (const link of document.querySelectorAll('[data-nav]'))
    if (link.getAttribute('data-nav') === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  document.title = `${t(name === 'list' ? 'initiatives' : 'overview')} – ${t('appName')}`;
  try {
    const handle = await VIEWS[name](container, params, { fail, announce });
    if (main.contains(container)) view = handle;
  } catch (error) {
    fail(error);
  }
  if (focus) /** @type {HTMLElement | null} */ (main.querySelector('h1'))?.focus();
}

/** Who is signed in; those with something to do start on their tasks (unless a link named a page). */
async function identify() {
  const me = await loadPrincipal();
  showPrincipal();
  if (location.hash === '' && acts(me)) history.replaceState(null, '', '#/tasks');
  void refreshTaskCount().catch(() => undefined);
}

/** Starts the stream, then the view: changes after the view loaded cannot be missed. @param {string} token */
function start(token) {
  for (const id of ['site-nav', 'sign-out', 'live-status']) byId(id).hidden = false;
  /** @type {() => void} */
  let ready = () => undefined;
  const connected = new Promise((resolve) => (ready = () => resolve(undefined)));
  // A missed count is refreshed with the next change; it never replaces the page with an error.
  const countTasks = debounced(refreshTaskCount, () => undefined);
  stream = followChanges({
    token,
    onChange: (change) => {
      view?.onChange?.(change);
      countTasks();
    },
    onState: (state) => {
      streamState = state;
      showLiveStatus();
      if (state !== 'connecting') ready();
    },
    onUnauthorized: () => signOut(t('sessionExpired')),
  });
  void Promise.all([connected, identify()]).then(() => render(), fail);
}

/** @param {string} [message] */
function signOut(message) {
  stream?.stop();
  stream = undefined;
  view = undefined;
  session.signOut();
  forgetPrincipal();
  for (const id of ['site-nav', 'sign-out', 'live-status']) byId(id).hidden = true;
  /** @param {string} token */
  const onSignedIn = (token) => {
    session.signIn(token);
    start(token);
  };
  showSignIn(main, { message, onSignedIn });
  void offerDevelopmentSignIn(main, onSignedIn).catch(() => undefined);
  document.title = `${t('signInTitle')} – ${t('appName')}`;
}

async function showOperations() {
  const footer = byId('operations');
  try {
    const ready = await api.readiness();
    const state = (/** @type {string | undefined} */ check) => t(check === 'ok' ? 'healthOk' : 'healthDown');
    footer.replaceChildren(
      `${t('operationsLabel')}: `,
      t('health', { database: state(ready.checks.database), temporal: state(ready.checks.temporal) }),
      ...(ready.temporalUi
        ? [' · ', h('a', { href: ready.temporalUi, rel: 'noopener' }, t('temporalUi'))]
        : []),
    );
  } catch {
    footer.replaceChildren(`${t('operationsLabel')}: ${t('healthDown')}`);
  }
}

function showLanguageSwitch() {
  const button = byId('language-switch');
  button.textContent = t('switchTo');
  button.lang = currentLanguage() === 'de' ? 'en' : 'de';
  button.setAttribute('aria-label', t('switchToLabel'));
}

byId('language-switch').addEventListener('click', () => {
  setLanguage(currentLanguage() === 'de' ? 'en' : 'de');
  translateShell();
  showLanguageSwitch();
  void showOperations();
  if (session.token) {
    showLiveStatus();
    showPrincipal();
    void render();
  } else signOut();
});
byId('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => {
  if (session.token) void render(true);
});

translateShell();
showLanguageSwitch();
void showOperations();
const token = session.token;
if (token) start(token);
else signOut();
