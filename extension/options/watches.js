/** The options page's list of watched products: each with its last price and state, its rule to change, and
 * a way to stop watching it. */

import { el, fill, link } from '../lib/dom.js';
import { watchForm, watchSummary } from '../lib/watch_view.js';
import { forgetWatched, keepListed, keepWatched } from '../lib/visits.js';
import { changeWatch, listWatches, stopWatch } from '../lib/watches.js';

/**
 * Fill `list` with the client's watches (GET /v1/watch); `status` says when there are none or none came.
 * deps: {settings, fetch, storage?} (chrome.storage.local, where the background finds the watched pages).
 */
export async function showWatches(list, status, ctx, deps) {
  const { t } = ctx;
  const answer = await listWatches(deps.settings, deps.fetch);
  if (answer.ok) await keepListed(deps.storage, answer.watches).catch(() => {});
  if (!answer.ok) {
    fill(list);
    status.textContent = answer.error.kind === 'unreachable' ? t('watchUnreachable') : t('watchFailed');
    return;
  }
  status.textContent = answer.watches.length ? '' : t('watchesNone');
  const reload = () => showWatches(list, status, ctx, deps);
  fill(list, answer.watches.map((watch, i) => watchItem(watch, i, ctx, deps, reload)));
}

/** One watch: its name (a link to the page), its rule and state, and its buttons. */
function watchItem(watch, index, ctx, deps, reload) {
  const { t } = ctx;
  const item = el('li', { 'data-product': watch.product_id, 'data-status': watch.status || 'pending' });
  const problem = el('p', { class: 'bad', role: 'alert' });
  const failed = (answer) => {
    problem.textContent = answer.error.kind === 'unreachable' ? t('watchUnreachable') : t('watchFailed');
  };
  const heading = () => el('p', {}, link(watch.url, watch.name || watch.url, { class: 'watch-name' }));
  const summary = () => {
    const change = el('button', { type: 'button', 'data-action': 'edit', text: t('watchChange') });
    const stop = el('button', { type: 'button', 'data-action': 'stop', text: t('watchRemove') });
    change.addEventListener('click', () => fill(item, heading(), form(), problem));
    stop.addEventListener('click', async () => {
      const answer = await stopWatch(deps.settings, deps.fetch, watch);
      if (answer.ok) await forgetWatched(deps.storage, watch).catch(() => {});
      if (answer.ok) reload();
      else failed(answer);
    });
    return [heading(), ...watchSummary(watch, ctx), el('div', { class: 'watch-actions' }, change, stop), problem];
  };
  const form = () => watchForm(watch, ctx, {
    key: String(index),
    submitLabel: t('watchSave'),
    onCancel: () => fill(item, summary()),
    onSubmit: async (rule) => {
      const answer = await changeWatch(deps.settings, deps.fetch, watch, rule);
      if (answer.ok) await keepWatched(deps.storage, answer.data).catch(() => {});
      if (answer.ok) reload();
      else failed(answer);
    },
  });
  return fill(item, summary());
}
