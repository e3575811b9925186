/**
 * A watch is refreshed when the shopper merely opens its page, on the sites they allowed when making it:
 * the background's own listener, run against a fake browser, and the popup asking within the click.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { makeTranslator } from '../../extension/lib/i18n.js';
import { REFRESH_EVERY_MS, keepListed, keepWatched, visitRefresher } from '../../extension/lib/visits.js';
import { watchControl } from '../../extension/popup/watch.js';
import { FakeNode, byAction, installFakeDom } from './fake_dom.mjs';

installFakeDom();

const ROOT = new URL('../../extension/', import.meta.url).pathname;
const load = async (path) => JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8'));
const SERVER = 'http://127.0.0.1:8750';
const PAGE = 'https://shop.test/p/kettle';
const WATCH = { product_id: '0123456789abcdef', url: PAGE, created_at: 1767225000.0 };
const PAGE_HTML = '<html lang="it"><body><h1>Brava Kettle</h1></body></html>';

/** chrome.storage.local or .session, as far as the extension uses them. */
function area(initial = {}) {
  const data = structuredClone(initial);
  return {
    data,
    get: async (keys) => {
      const wanted = keys === undefined ? Object.keys(data) : [keys].flat();
      return Object.fromEntries(wanted.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    set: async (values) => { Object.assign(data, structuredClone(values)); },
    remove: async (key) => { delete data[key]; },
  };
}

/** A listener list such as chrome.tabs.onUpdated. */
function event() {
  const listeners = [];
  return { listeners, addListener: (fn) => listeners.push(fn) };
}

/**
 * The browser the background runs in: a shopper who watches PAGE, with the sites in `allowed` granted. Every
 * capture and every request to the server is recorded.
 */
function fakeBrowser({ allowed = ['https://shop.test/*'] } = {}) {
  const captured = [];
  const posted = [];
  const local = area({ serverUrl: SERVER, token: 'secret', language: 'auto' });
  const chrome = {
    runtime: { onConnect: event(), getURL: (p) => `chrome-extension://zmot/${p}` },
    tabs: { onUpdated: event(), onRemoved: event() },
    alarms: { get: async () => ({ name: 'alerts' }), create: () => {}, onAlarm: event() },
    permissions: {
      onAdded: event(),
      contains: async ({ origins = [] }) => origins.every((o) => allowed.includes(o)),
    },
    storage: { local, session: area() },
    i18n: { getUILanguage: () => 'fr-FR' },
    scripting: {
      executeScript: async ({ target, files }) => {
        captured.push({ tabId: target.tabId, files });
        return [{ result: { url: PAGE, canonical: null, lang: 'it', jsonld: [], html: PAGE_HTML, title: 'Kettle' } }];
      },
    },
    action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {} },
  };
  const fetch = async (url, init) => {
    posted.push({ url, method: init.method, headers: init.headers, body: JSON.parse(init.body) });
    return Response.json({ id: 'b1', status: 'running', events: '/v1/briefings/b1/events' }, { status: 202 });
  };
  return { chrome, fetch, captured, posted, local };
}

let loads = 0;
/** Start background.js in the fake browser; answers a function that loads a page in a tab to the end. */
async function startBackground(browser) {
  globalThis.chrome = browser.chrome;
  globalThis.fetch = browser.fetch;
  loads += 1;
  await import(`../../extension/background.js?run=${loads}`);
  return async (tabId, url) => {
    for (const status of ['loading', 'complete']) {
      const tab = { id: tabId, url, status };
      for (const listener of browser.chrome.tabs.onUpdated.listeners) listener(tabId, { status }, tab);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
}

test('opening a watched page on an allowed site posts it once, in the shopper\'s language, and not again soon', async () => {
  const browser = fakeBrowser();
  await keepWatched(browser.local, WATCH);
  const load = await startBackground(browser);
  await load(7, PAGE);
  assert.deepEqual(browser.captured, [{ tabId: 7, files: ['capture.js'] }]);
  assert.equal(browser.posted.length, 1);
  const [post] = browser.posted;
  assert.equal(post.url, `${SERVER}/v1/briefings`);
  assert.equal(post.method, 'POST');
  assert.equal(post.headers.Authorization, 'Bearer secret');
  assert.deepEqual(post.body, { url: PAGE, html: PAGE_HTML, locale: 'fr-FR' });

  await load(7, PAGE); // reloaded
  await load(8, `${PAGE}#reviews`); // and opened again in another tab
  assert.equal(browser.captured.length, 1);
  assert.equal(browser.posted.length, 1);
});

test('a page that is not watched, or a watched one on a site not allowed, is never read nor sent', async () => {
  const browser = fakeBrowser({ allowed: [] });
  await keepWatched(browser.local, WATCH);
  await keepWatched(browser.local, { ...WATCH, url: 'https://other.test/p/1' });
  browser.chrome.permissions.contains = async ({ origins }) => origins.every((o) => o === 'https://other.test/*');
  const load = await startBackground(browser);
  await load(1, PAGE); // watched, but shop.test was not allowed
  await load(2, 'https://other.test/p/2'); // allowed site, page not watched
  await load(3, 'https://other.test/'); // allowed site, not watched either
  await load(4, 'chrome://newtab/');
  await load(5, undefined); // a tab whose address the extension may not know
  assert.deepEqual(browser.captured, []);
  assert.deepEqual(browser.posted, []);
});

test('a stopped watch is no longer refreshed: the server\'s list of watches is the truth', async () => {
  const browser = fakeBrowser();
  await keepWatched(browser.local, WATCH);
  await keepListed(browser.local, []); // the watch was removed on the options page, or on another device
  const load = await startBackground(browser);
  await load(1, PAGE);
  assert.deepEqual(browser.posted, []);
});

test('after half an hour the same page is refreshed again; a restarted background remembers the last time', async () => {
  const browser = fakeBrowser();
  await keepWatched(browser.local, WATCH, ['https://shop.test/p/kettle?ref=mail']);
  let clock = 1_000_000;
  const session = area();
  const refresher = () => visitRefresher({
    storage: browser.local, session, permissions: browser.chrome.permissions, now: () => clock,
    capture: async () => ({ url: PAGE, html: PAGE_HTML }), fetch: browser.fetch, uiLanguage: 'it',
  });
  const refresh = refresher();
  assert.equal(await refresh(1, PAGE), 'posted');
  clock += REFRESH_EVERY_MS - 1;
  assert.equal(await refresher()(1, 'https://shop.test/p/kettle?ref=mail'), 'posted'); // another address of it
  assert.equal(await refresher()(1, PAGE), 'too_soon');
  clock += 1;
  assert.equal(await refresh(1, PAGE), 'posted');
  assert.equal(browser.posted.length, 3);
  assert.equal(browser.posted[0].body.locale, 'it');
});

test('two loads of one page at once make one refresh', async () => {
  const browser = fakeBrowser();
  await keepWatched(browser.local, WATCH);
  const refresh = visitRefresher({
    storage: browser.local, session: area(), permissions: browser.chrome.permissions, now: () => 5,
    capture: async () => ({ url: PAGE, html: PAGE_HTML }), fetch: browser.fetch, uiLanguage: 'en',
  });
  const answers = await Promise.all([refresh(1, PAGE), refresh(2, PAGE)]);
  assert.deepEqual(answers.sort(), ['posted', 'too_soon']);
  assert.equal(browser.posted.length, 1);
});

/** The popup's watch control on PAGE, with a shopper who answers the prompt with `grant`. */
async function popupControl(grant) {
  const ctx = { t: await makeTranslator('en', load), locale: 'en-US' };
  const events = [];
  const permissions = {
    contains: async () => false,
    request: (asked) => { events.push(['request', asked]); return Promise.resolve(grant); },
  };
  let watches = [];
  const fetch = async (url, init) => {
    events.push([init.method, new URL(url).pathname]);
    if (init.method === 'POST') {
      watches = [{ ...WATCH, notify_on: ['drop'], status: 'pending', last_price: null }];
      return Response.json(watches[0], { status: 201 });
    }
    return Response.json({ watches });
  };
  const storage = area();
  const slot = new FakeNode('div');
  const control = watchControl(slot, ctx, { settings: { serverUrl: SERVER, token: '' }, fetch, permissions, storage });
  await control.show({ productId: WATCH.product_id, url: PAGE, urls: [PAGE, `${PAGE}?ref=mail`], name: 'Kettle', locale: 'en' });
  slot.find(byAction('watch')).fire('click');
  slot.find((n) => n.tag === 'form').fire('submit');
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { slot, events, storage };
}

test('making a watch asks, within the click, to read this one site on a visit, with notifications', async () => {
  const { slot, events, storage } = await popupControl(true);
  // Asked before the watch is sent: the click's gesture is still there. One prompt, one site.
  assert.deepEqual(events.slice(0, 3), [
    ['GET', '/v1/watch'],
    ['request', { origins: ['https://shop.test/*'], permissions: ['notifications'] }],
    ['POST', '/v1/watch'],
  ]);
  assert.equal(slot.children[0].attributes['data-watch'], 'on');
  assert.doesNotMatch(slot.children[0].text, /click zmot/);
  assert.deepEqual(Object.values(storage.data.watchedPages), [[PAGE, `${PAGE}?ref=mail`]]);
});

test('a shopper who declines still has the watch, refreshed on clicks only, and the popup says so', async () => {
  const { slot, storage } = await popupControl(false);
  assert.equal(slot.children[0].attributes['data-watch'], 'on');
  assert.match(slot.children[0].text, /Refreshed only when you click zmot on this page\./);
  assert.ok(storage.data.watchedPages); // kept: allowing the site later (browser settings) is enough
});
