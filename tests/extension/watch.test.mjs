/** A shopper watches a price from the popup: the control, the rule it sends, and the watch of the page. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { makeTranslator } from '../../extension/lib/i18n.js';
import { createWatch, findWatch, listWatches, parsePrice, ruleFrom, stopWatch } from '../../extension/lib/watches.js';
import { showWatches } from '../../extension/options/watches.js';
import { renderWatch } from '../../extension/popup/render/watch.js';
import { watchControl } from '../../extension/popup/watch.js';
import { FakeNode, byAction, installFakeDom } from './fake_dom.mjs';

installFakeDom();

const ROOT = new URL('../../extension/', import.meta.url).pathname;
const load = async (path) => JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8'));
const XSS = '<img src=x onerror=alert(1)>';

const watched = {
  product_id: '0123456789abcdef', url: 'https://shop.test/p/1', name: `Lume 2 ${XSS}`,
  target_price: '99.00', currency: 'EUR', notify_on: ['below', 'drop', 'back_in_stock'], locale: 'en',
  last_price: { amount: '104.90', currency: 'EUR', seller: 'shop.test', at: 1767225600.0 },
  availability: 'in_stock', status: 'ok', last_error: null, last_checked: 1767225600.0,
  next_check: 1767229200.0, interval_s: 3600, created_at: 1767225000.0,
};

async function context(language = 'en') {
  return { t: await makeTranslator(language, load), locale: language === 'en' ? 'en-US' : language };
}

function recorder() {
  const calls = [];
  const actions = {};
  for (const name of ['open', 'cancel', 'create', 'change', 'edit', 'stop']) {
    actions[name] = (...args) => calls.push([name, ...args]);
  }
  return { calls, actions };
}

test('an unwatched price offers "Watch this price"; the form starts with any drop and back in stock', async () => {
  const ctx = await context();
  const { calls, actions } = recorder();
  const off = renderWatch({ phase: 'off', watch: null, error: null }, ctx, actions);
  assert.equal(off.attributes['data-watch'], 'off');
  off.find(byAction('watch')).fire('click');
  assert.deepEqual(calls, [['open']]);

  const form = renderWatch({ phase: 'form', watch: null, error: null }, ctx, actions);
  const boxes = form.findAll((n) => n.attributes.type === 'checkbox');
  assert.deepEqual(boxes.map((b) => [b.value, b.checked]), [['below', false], ['drop', true], ['back_in_stock', true]]);
  assert.match(form.text, /Target price \(optional\)/);
  assert.match(form.text, /it is back in stock/);
  form.find((n) => n.tag === 'input' && n.attributes.name === 'target').value = '99,90';
  boxes[0].checked = true;
  const submit = form.find((n) => n.tag === 'form').fire('submit');
  assert.ok(submit.defaultPrevented);
  assert.deepEqual(calls.at(-1), ['create', { target_price: '99.90', notify_on: ['below', 'drop', 'back_in_stock'] }]);
});

test('the form says what is missing instead of sending a rule that cannot work', async () => {
  const ctx = await context();
  const { calls, actions } = recorder();
  const form = renderWatch({ phase: 'form', watch: null, error: null }, ctx, actions);
  const boxes = form.findAll((n) => n.attributes.type === 'checkbox');
  boxes.forEach((b) => { b.checked = b.value === 'below'; });
  form.find((n) => n.tag === 'form').fire('submit');
  assert.deepEqual(calls, []);
  assert.match(form.find((n) => n.attributes.class === 'problem').textContent, /Give a target price/);
  assert.equal(form.find((n) => n.attributes.name === 'target').getAttribute('aria-invalid'), 'true');
});

test('a watched page shows "watching" with its rule and last price, and lets the shopper change or stop it', async () => {
  const ctx = await context();
  const { calls, actions } = recorder();
  const on = renderWatch({ phase: 'on', watch: watched, error: null }, ctx, actions);
  assert.match(on.text, /Watching/);
  assert.match(on.text, /Below €99\.00 · any drop · back in stock/);
  assert.match(on.text, /Last price: €104\.90/);
  on.find(byAction('edit')).fire('click');
  on.find(byAction('stop')).fire('click');
  assert.deepEqual(calls, [['edit'], ['stop']]);

  const editing = renderWatch({ phase: 'editing', watch: watched, error: null }, ctx, actions);
  assert.equal(editing.find((n) => n.attributes.name === 'target').value, '99.00');
  assert.ok(editing.findAll((n) => n.attributes.type === 'checkbox').every((b) => b.checked));
});

test('changing a rule keeps what the form has no box for ("lowest", set through the API)', async () => {
  const ctx = await context();
  const { calls, actions } = recorder();
  const watch = { ...watched, target_price: null, notify_on: ['drop', 'lowest'] };
  assert.match(renderWatch({ phase: 'on', watch, error: null }, ctx, actions).text, /any drop · lowest price seen/);
  const editing = renderWatch({ phase: 'editing', watch, error: null }, ctx, actions);
  editing.findAll((n) => n.attributes.type === 'checkbox').forEach((b) => { b.checked = b.value === 'back_in_stock'; });
  editing.find((n) => n.tag === 'form').fire('submit');
  assert.deepEqual(calls, [['change', { target_price: null, notify_on: ['lowest', 'back_in_stock'] }]]);
});

test('a page the server cannot fetch tells the shopper to open it; the words are Italian in Italian', async () => {
  const blocked = { ...watched, status: 'blocked', last_error: 'the site answered HTTP 403' };
  const en = renderWatch({ phase: 'on', watch: blocked, error: null }, await context(), recorder().actions);
  assert.match(en.text, /blocked: open the page to refresh/);
  const it = renderWatch({ phase: 'on', watch: { ...watched, status: 'pending', last_price: null }, error: null }, await context('it'), recorder().actions);
  assert.match(it.text, /Lo stai seguendo/);
  assert.match(it.text, /Sotto 99,00\s€ · ogni calo · di nuovo disponibile/);
  assert.match(it.text, /non ancora controllato/);
});

test("the server's refusal is shown as text, never as markup", async () => {
  const ctx = await context();
  const node = renderWatch({ phase: 'off', watch: null, error: { kind: 'rejected', detail: XSS } }, ctx, recorder().actions);
  const error = node.find((n) => n.attributes.class === 'bad watch-error');
  assert.equal(error.textContent, `The server could not do it. ${XSS}`);
  assert.equal(node.findAll((n) => n.tag === 'img').length, 0);
});

test('typed target prices are read the way shoppers write them', () => {
  const table = [
    ['99', '99.00'], ['99.9', '99.90'], ['99,90', '99.90'], ['1.299,00', '1299.00'], ['1,299.00', '1299.00'],
    ['€ 45', '45.00'], ['1.299', '1299.00'], ['0', null], ['abc', null], ['-5', null],
  ];
  for (const [typed, expected] of table) assert.equal(parsePrice(typed), expected, typed);
  assert.deepEqual(ruleFrom({ target: '', notifyOn: ['drop'] }), { rule: { target_price: null, notify_on: ['drop'] } });
  assert.deepEqual(ruleFrom({ target: 'lots', notifyOn: ['drop'] }), { problem: 'watchTargetInvalid' });
  assert.deepEqual(ruleFrom({ target: '5', notifyOn: [] }), { problem: 'watchRuleNeeded' });
});

test("the page's watch is found by product and page address, fragment or not", () => {
  const other = { ...watched, url: 'https://other.test/p/1' };
  assert.equal(findWatch([other, watched], watched.product_id, ['https://shop.test/p/1#reviews']), watched);
  assert.equal(findWatch([other, watched], 'ffffffffffffffff', [watched.url]), null);
  assert.equal(findWatch([other], watched.product_id, [null, watched.url]), null);
});

test('watch calls carry the pairing code and name the page; a stop names the page in the query', async () => {
  const settings = { serverUrl: 'http://127.0.0.1:8750', token: 'secret' };
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    if (init.method === 'DELETE') return new Response(null, { status: 204 });
    if (init.method === 'GET') return Response.json({ watches: [watched] });
    return Response.json(watched, { status: 201 });
  };
  const page = { productId: watched.product_id, url: watched.url, name: 'Lume 2', locale: 'it' };
  const made = await createWatch(settings, fetch, page, { target_price: null, notify_on: ['drop'] });
  assert.equal(made.ok, true);
  assert.deepEqual(JSON.parse(calls[0].init.body), {
    product_id: watched.product_id, url: watched.url, name: 'Lume 2', locale: 'it', target_price: null, notify_on: ['drop'],
  });
  assert.equal(calls[0].init.headers.Authorization, 'Bearer secret');
  assert.deepEqual((await listWatches(settings, fetch)).watches, [watched]);
  assert.equal((await stopWatch(settings, fetch, watched)).ok, true);
  assert.equal(calls[2].url, 'http://127.0.0.1:8750/v1/watch/0123456789abcdef?url=https%3A%2F%2Fshop.test%2Fp%2F1');
  const down = await listWatches(settings, async () => { throw new TypeError('Failed to fetch'); });
  assert.deepEqual(down.error, { kind: 'unreachable', detail: settings.serverUrl });
  const refused = await createWatch(settings, async () => Response.json({ error: { code: 'bad_target', message: 'target_price must be > 0' } }, { status: 400 }), page, {});
  assert.deepEqual(refused.error, { kind: 'rejected', detail: 'target_price must be > 0' });
});

test('making the first watch asks for notifications within the click, and alerts start from the watch', async () => {
  const ctx = await context();
  const events = [];
  const permissions = {
    contains: async () => false,
    request: (asked) => { events.push(['request', asked.permissions]); return Promise.resolve(true); },
  };
  const stored = {};
  const storage = { get: async (k) => ({ [k]: stored[k] }), set: async (v) => Object.assign(stored, v) };
  let watches = [];
  const fetch = async (url, init) => {
    events.push([init.method, new URL(url).pathname]);
    if (init.method === 'POST') {
      watches = [{ ...watched, ...JSON.parse(init.body) }];
      return Response.json(watches[0], { status: 201 });
    }
    return Response.json({ watches });
  };
  const slot = new FakeNode('div');
  const control = watchControl(slot, ctx, { settings: { serverUrl: 'http://127.0.0.1:8750', token: '' }, fetch, permissions, storage });
  await control.show({ productId: watched.product_id, url: watched.url, urls: [watched.url], name: 'Lume 2', locale: 'en' });
  assert.equal(slot.children[0].attributes['data-watch'], 'off');
  slot.find(byAction('watch')).fire('click');
  slot.find((n) => n.tag === 'form').fire('submit');
  // The permission is asked before the watch is sent: the click's gesture is still there.
  assert.deepEqual(events.slice(0, 3), [['GET', '/v1/watch'], ['request', ['notifications']], ['POST', '/v1/watch']]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(slot.children[0].attributes['data-watch'], 'on');
  assert.equal(stored.alertsSince, watched.created_at);
});

test('the options page lists each watch with its state, and removing one asks the server and lists again', async () => {
  const ctx = await context();
  let watches = [watched, { ...watched, url: 'https://other.test/p/1', status: 'blocked', name: null }];
  const calls = [];
  const fetch = async (url, init) => {
    calls.push(`${init.method} ${url}`);
    if (init.method === 'DELETE') {
      watches = watches.slice(1);
      return new Response(null, { status: 204 });
    }
    return Response.json({ watches });
  };
  const list = new FakeNode('ul');
  const status = new FakeNode('p');
  await showWatches(list, status, ctx, { settings: { serverUrl: 'http://127.0.0.1:8750', token: 't' }, fetch });
  assert.equal(list.children.length, 2);
  assert.match(list.children[0].text, /Lume 2 <img src=x onerror=alert\(1\)>.*Last price: €104\.90/s);
  assert.match(list.children[1].text, /https:\/\/other\.test\/p\/1.*blocked: open the page to refresh/s);
  list.children[0].find(byAction('stop')).fire('click');
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(calls[1], 'DELETE http://127.0.0.1:8750/v1/watch/0123456789abcdef?url=https%3A%2F%2Fshop.test%2Fp%2F1');
  assert.equal(list.children.length, 1);
  watches = [];
  list.children[0].find(byAction('stop')).fire('click');
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(status.textContent, 'No product is watched yet: open one\'s page, click zmot and choose “Watch this price”.');
});
