/**
 * The popup's watch control at work: finds the watch of the page being briefed (GET /v1/watch) and makes,
 * changes or stops it. Making a watch is when notifications (the first time) and the reading of this site's
 * pages on a visit are asked for, in one prompt within the click; the watched pages are kept for the
 * background, which refreshes a watch when its page is opened on an allowed site.
 */

import { fill } from '../lib/dom.js';
import { forgetWatched, keepListed, keepWatched, sitePattern } from '../lib/visits.js';
import { changeWatch, createWatch, findWatch, listWatches, stopWatch } from '../lib/watches.js';
import { renderWatch } from './render/watch.js';

const NOTIFICATIONS = { permissions: ['notifications'] };

/**
 * A control drawn into `slot`. deps: {settings, fetch, permissions (chrome.permissions), storage
 * (chrome.storage.local)}. show(page) draws it for a briefed page {productId, url, urls, name, locale}.
 */
export function watchControl(slot, ctx, deps) {
  let page = null;
  // visits: whether this site's pages may be read on a visit (else the watch is refreshed on clicks only)
  let state = { phase: 'busy', watch: null, error: null, visits: true };
  let allowed = false; // whether notifications are already allowed, known before the click that needs it
  deps.permissions?.contains(NOTIFICATIONS).then((yes) => { allowed = yes; }, () => {});

  // Focus stays in the control when it is redrawn under the shopper's keyboard: on the price field of the
  // form, else on the control's first button (once there is one again: a busy control has none).
  let keepFocus = false;
  const draw = (next) => {
    keepFocus = keepFocus || Boolean(slot.contains?.(globalThis.document?.activeElement));
    state = { ...state, ...next };
    fill(slot, renderWatch(state, ctx, actions));
    slot.hidden = false;
    if (!keepFocus) return;
    const editing = state.phase === 'form' || state.phase === 'editing';
    const target = slot.querySelector?.(editing ? 'input[name="target"]' : 'button');
    if (target) {
      target.focus();
      keepFocus = false;
    }
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
      const asked = askFor(page, allowed, deps.permissions);
      draw({ phase: 'busy' });
      createWatch(deps.settings, deps.fetch, page, rule).then(async (answer) => {
        const granted = await asked;
        if (granted && !allowed) allowed = await deps.permissions.contains(NOTIFICATIONS).catch(() => false);
        if (answer.ok) {
          await startAlerts(deps.storage, answer.data);
          await keepWatched(deps.storage, answer.data, page.urls).catch(() => {});
        }
        state = { ...state, visits: granted };
        settle(answer, answer.ok ? answer.data : null);
      });
    },
    change: (rule) => {
      draw({ phase: 'busy' });
      changeWatch(deps.settings, deps.fetch, state.watch, rule).then(async (answer) => {
        if (answer.ok) await keepWatched(deps.storage, answer.data).catch(() => {});
        settle(answer, answer.ok ? answer.data : state.watch);
      });
    },
    stop: () => {
      draw({ phase: 'busy' });
      stopWatch(deps.settings, deps.fetch, state.watch).then(async (answer) => {
        if (answer.ok) await forgetWatched(deps.storage, state.watch).catch(() => {});
        settle(answer, answer.ok ? null : state.watch);
      });
    },
  };

  return {
    /** Show the watch of this page (asked again each time: a briefing just posted may have refreshed it). */
    async show(briefed) {
      page = briefed;
      if (state.phase === 'form' || state.phase === 'editing') return; // the shopper is typing
      const answer = await listWatches(deps.settings, deps.fetch);
      if (answer.ok) await keepListed(deps.storage, answer.watches).catch(() => {});
      const visits = await siteAllowed(page, deps.permissions);
      if (page !== briefed) return;
      state = { ...state, visits };
      settle(answer, answer.ok ? findWatch(answer.watches, page.productId, page.urls) : null);
    },
  };
}

/**
 * The one prompt a new watch brings: reading this site's pages on a visit, and notifications the first time
 * (one request, as the browser asks for all of it at once). Resolves to whether it was granted.
 */
function askFor(page, notificationsAllowed, permissions) {
  const origins = sitesOf(page);
  if (!permissions || (!origins.length && notificationsAllowed)) return Promise.resolve(false);
  const asked = { origins };
  if (!notificationsAllowed) asked.permissions = NOTIFICATIONS.permissions;
  return permissions.request(asked).then((yes) => Boolean(yes) && origins.length > 0, () => false);
}

/** Whether the page's site may be read on a visit; unknown counts as yes, so no warning shows wrongly. */
async function siteAllowed(page, permissions) {
  const origins = sitesOf(page);
  if (!permissions || !origins.length) return true;
  return permissions.contains({ origins }).catch(() => true);
}

/** The sites a page goes by (its own and the tab's address, one site nearly always). */
function sitesOf(page) {
  if (!page) return [];
  return [...new Set([page.url, ...(page.urls || [])].map(sitePattern).filter(Boolean))];
}

/** From the first watch on, the background asks for alerts newer than it (the server's clock). */
async function startAlerts(storage, watch) {
  if (!storage) return;
  const { alertsSince } = await storage.get('alertsSince');
  if (typeof alertsSince === 'number') return;
  const at = Number(watch && watch.created_at);
  await storage.set({ alertsSince: Number.isFinite(at) ? at : Date.now() / 1000 });
}
