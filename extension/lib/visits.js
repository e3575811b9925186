/**
 * Refreshing a watch when the shopper merely opens its page: the shopper's browser gets through where the
 * server's own fetch is blocked. Only for a page the shopper watches, only on a site whose reading they
 * allowed (asked when the watch was made), and at most once per page in REFRESH_EVERY_MS.
 */

import { briefingRequest } from './page.js';
import { apiHeaders, apiUrl, originPattern, withDefaults } from './settings.js';
import { samePageKey } from './watches.js';

/** How long a page refreshed on a visit is left alone: a shopper moving around a shop is one visit. */
export const REFRESH_EVERY_MS = 30 * 60 * 1000;
/** The watched pages in storage.local: {"<product id> <url>": [every address the page goes by]}. */
export const WATCHED_KEY = 'watchedPages';
const VISIT_PREFIX = 'visit:'; // visit:<page> -> when it was last refreshed on a visit (ms)

/** The host permission of a page's site ("https://shop.example/*"), or null for an address of another kind. */
export function sitePattern(url) {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? originPattern(url) : null;
  } catch {
    return null;
  }
}

function watchKey(watch) {
  return `${watch.product_id} ${samePageKey(watch.url)}`;
}

async function readWatched(storage) {
  const kept = (await storage.get(WATCHED_KEY))[WATCHED_KEY];
  return kept && typeof kept === 'object' ? kept : {};
}

/** A watch made or changed: its page, and the other addresses it was briefed under, are watched. */
export async function keepWatched(storage, watch, urls = []) {
  if (!storage || !watch || !samePageKey(watch.url)) return;
  const watched = await readWatched(storage);
  const key = watchKey(watch);
  const addresses = [watch.url, ...urls, ...(watched[key] || [])].map(samePageKey).filter(Boolean);
  watched[key] = [...new Set(addresses)];
  await storage.set({ [WATCHED_KEY]: watched });
}

/** A watch stopped: its page is no longer refreshed on visits. */
export async function forgetWatched(storage, watch) {
  if (!storage || !watch) return;
  const watched = await readWatched(storage);
  delete watched[watchKey(watch)];
  await storage.set({ [WATCHED_KEY]: watched });
}

/** The server's list of watches is the truth: pages no longer in it are dropped, new ones kept. */
export async function keepListed(storage, watches) {
  if (!storage || !Array.isArray(watches)) return;
  const watched = await readWatched(storage);
  const listed = {};
  for (const watch of watches) {
    if (!watch || !samePageKey(watch.url)) continue;
    const key = watchKey(watch);
    listed[key] = watched[key] || [samePageKey(watch.url)];
  }
  await storage.set({ [WATCHED_KEY]: listed });
}

/** Whether this address is one of a watched page's. */
export async function isWatched(storage, url) {
  const key = samePageKey(url);
  if (!key) return false;
  return Object.values(await readWatched(storage)).some((addresses) => addresses.includes(key));
}

/**
 * What refreshes a watch when a tab finished loading its page: refresh(tabId, url) posts the page if it is
 * watched, its site allowed and it was not refreshed in the last REFRESH_EVERY_MS; it answers what it did
 * ("posted", or why not). deps: {storage (local), session (where visits outlive a stopped background),
 * permissions, capture(tabId), fetch, now() in ms, uiLanguage}.
 */
export function visitRefresher(deps) {
  const running = new Set(); // pages being refreshed: two "complete" events of one load make one refresh

  return async function refresh(tabId, url) {
    const page = samePageKey(url);
    const pattern = sitePattern(url);
    if (!page || !pattern) return 'not_a_page';
    if (!(await isWatched(deps.storage, page))) return 'not_watched';
    const allowed = await deps.permissions.contains({ origins: [pattern] }).catch(() => false);
    if (!allowed) return 'not_allowed';
    const key = VISIT_PREFIX + page;
    const now = deps.now();
    const last = Number((await deps.session.get(key))[key]);
    if (running.has(page) || now - last < REFRESH_EVERY_MS) return 'too_soon'; // NaN (never) compares false
    running.add(page);
    try {
      await deps.session.set({ [key]: now });
      const capture = await deps.capture(tabId);
      if (!capture || !capture.html) return 'cannot_capture';
      const settings = withDefaults(await deps.storage.get(['serverUrl', 'token', 'language']));
      const body = briefingRequest(capture, { uiLanguage: deps.uiLanguage, language: settings.language });
      // Posted and left: the server checks the watch from it; nobody waits for the briefing's events.
      const response = await deps.fetch(apiUrl(settings.serverUrl, '/v1/briefings'), {
        method: 'POST',
        headers: apiHeaders(settings.token, true),
        body: JSON.stringify(body),
      });
      await response.body?.cancel().catch(() => {});
      return response.ok ? 'posted' : 'refused';
    } catch {
      return 'failed';
    } finally {
      running.delete(page);
    }
  };
}
