/**
 * The popup's watch control at work: finds the watch of the page being briefed (GET /v1/watch) and makes,
 * changes or stops it. Making the first watch is when notifications are asked for, within the click.
 */

import { fill } from '../lib/dom.js';
import { changeWatch, createWatch, findWatch, listWatches, stopWatch } from '../lib/watches.js';
import { renderWatch } from './render/watch.js';

const NOTIFICATIONS = { permissions: ['notifications'] };

/**
 * A control drawn into `slot`. deps: {settings, fetch, permissions (chrome.permissions), storage
 * (chrome.storage.local)}. show(page) draws it for a briefed page {productId, url, urls, name, locale}.
 */
export function watchControl(slot, ctx, deps) {
  let page = null;
  let state = { phase: 'busy', watch: null, error: null };
  let allowed = false; // whether notifications are already allowed, known before the click that needs it
  deps.permissions?.contains(NOTIFICATIONS).then((yes) => { allowed = yes; }, () => {});

  const draw = (next) => {
    state = { ...state, ...next };
    fill(slot, renderWatch(state, ctx, actions));
    slot.hidden = false;
  };
  const settle = (answer, watched) => {
    if (!answer.ok) return draw({ phase: state.watch ? 'on' : 'off', error: answer.error });
    return draw({ phase: watched ? 'on' : 'off', watch: watched, error: null });
  };

  const actions = {
    open: () => draw({ phase: 'form', error: null }),
    edit: () => draw({ phase: 'editing', error: null }),
    cancel: () => draw({ phase: state.watch ? 'on' : 'off', error: null }),
    create: (rule) => {
      // Asked within the click, before anything is awaited; the watch is made whatever the answer.
      if (!allowed && deps.permissions) deps.permissions.request(NOTIFICATIONS).then((yes) => { allowed = yes; }, () => {});
      draw({ phase: 'busy' });
      createWatch(deps.settings, deps.fetch, page, rule).then(async (answer) => {
        if (answer.ok) await startAlerts(deps.storage, answer.data);
        settle(answer, answer.ok ? answer.data : null);
      });
    },
    change: (rule) => {
      draw({ phase: 'busy' });
      changeWatch(deps.settings, deps.fetch, state.watch, rule).then((answer) => settle(answer, answer.ok ? answer.data : state.watch));
    },
    stop: () => {
      draw({ phase: 'busy' });
      stopWatch(deps.settings, deps.fetch, state.watch).then((answer) => settle(answer, answer.ok ? null : state.watch));
    },
  };

  return {
    /** Show the watch of this page (asked again each time: a briefing just posted may have refreshed it). */
    async show(briefed) {
      page = briefed;
      if (state.phase === 'form' || state.phase === 'editing') return; // the shopper is typing
      const answer = await listWatches(deps.settings, deps.fetch);
      if (page !== briefed) return;
      settle(answer, answer.ok ? findWatch(answer.watches, page.productId, page.urls) : null);
    },
  };
}

/** From the first watch on, the background asks for alerts newer than it (the server's clock). */
async function startAlerts(storage, watch) {
  if (!storage) return;
  const { alertsSince } = await storage.get('alertsSince');
  if (typeof alertsSince === 'number') return;
  const at = Number(watch && watch.created_at);
  await storage.set({ alertsSince: Number.isFinite(at) ? at : Date.now() / 1000 });
}
