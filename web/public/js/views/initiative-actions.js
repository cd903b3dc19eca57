/**
 * The initiative page with the principal's next steps: links to the forms of the commands the API allows
 * them on this initiative (none shown for what they may not do), kept current as the initiative changes.
 */
import { ApiError, api } from '../api.js';
import { h } from '../dom.js';
import { label, t } from '../i18n.js';
import { showInitiative } from './initiative.js';
import { debounced } from './parts.js';

/** @type {import('../router.js').View} */
export const showInitiativeWithActions = async (container, params, context) => {
  const page = await showInitiative(container, params, context);
  const list = h('ul', { class: 'action-links' });
  const panel = h(
    'section',
    { id: 'my-actions', 'aria-labelledby': 'my-actions-heading', hidden: true },
    h('h2', { id: 'my-actions-heading' }, t('yourNextSteps')),
    list,
  );
  container.querySelector('h1')?.after(panel);

  const load = async () => {
    try {
      const { items } = await api.allowedActions(params.id);
      list.replaceChildren(
        ...items.map((allowed) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                class: 'button-link',
                href: `#/initiatives/${encodeURIComponent(params.id)}/${allowed.action}`,
                'data-action': allowed.action,
              },
              label('action', allowed.action),
            ),
          ),
        ),
      );
      panel.hidden = items.length === 0;
    } catch (error) {
      // The page itself says when the initiative cannot be read.
      if (error instanceof ApiError && error.status === 404) panel.hidden = true;
      else throw error;
    }
  };
  await load();
  const reload = debounced(load, context.fail, 100);
  return {
    onChange: (change) => {
      page.onChange?.(change);
      if (change.initiativeId === params.id) reload();
    },
  };
};
