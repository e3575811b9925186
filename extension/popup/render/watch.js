/** The watch control under the price: watch this page's price, see the watch's rule, change or stop it. */

import { el } from '../../lib/dom.js';
import { watchForm, watchSummary } from '../../lib/watch_view.js';

/**
 * Nodes for the control in its state {phase, watch, error, visits}: phase "off" (not watched), "form"
 * (choosing a rule), "on" (watched), "editing" (changing the rule) or "busy" (waiting for the server);
 * visits false when the site's pages may not be read on a visit, so the watch is refreshed on clicks only.
 * actions: {open, cancel, create(rule), change(rule), edit, stop}.
 */
export function renderWatch(state, ctx, actions) {
  const { t } = ctx;
  const { phase, watch, error } = state;
  const root = el('div', { class: 'watch', 'data-watch': phase });
  if (phase === 'off') {
    root.append(button('watch', t('watchAction'), actions.open));
  } else if (phase === 'form') {
    root.append(watchForm(null, ctx, { submitLabel: t('watchStart'), onSubmit: actions.create, onCancel: actions.cancel }));
  } else if (phase === 'busy') {
    root.append(el('p', { class: 'muted', text: t('watchBusy') }));
  } else if (watch) {
    root.append(el('p', {}, el('span', { class: 'chip good', text: t('watchOn') })));
    if (phase === 'editing') {
      root.append(watchForm(watch, ctx, { submitLabel: t('watchSave'), onSubmit: actions.change, onCancel: actions.cancel, key: 'edit' }));
    } else {
      root.append(...watchSummary(watch, ctx));
      if (state.visits === false) root.append(el('p', { class: 'muted watch-visits', text: t('watchClicksOnly') }));
      root.append(
        el('div', { class: 'watch-actions' }, button('edit', t('watchChange'), actions.edit), button('stop', t('watchStop'), actions.stop)));
    }
  }
  if (error) root.append(el('p', { class: 'bad watch-error', role: 'alert', text: errorText(error, t) }));
  return root;
}

/** Why a watch call failed, in the shopper's words, with the server's own message when it gave one. */
function errorText(error, t) {
  const title = error.kind === 'unreachable' ? t('watchUnreachable') : error.kind === 'unauthorized' ? t('pairingNeededTitle') : t('watchFailed');
  return error.kind === 'rejected' && error.detail ? `${title} ${error.detail}` : title;
}

function button(action, label, onClick) {
  const node = el('button', { type: 'button', 'data-action': action, text: label });
  node.addEventListener('click', () => onClick());
  return node;
}
