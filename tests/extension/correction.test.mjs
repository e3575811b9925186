/** A shopper points at the right price: what the popup offers, what it sends, and what a briefing says back. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { correctionOf, deleteCorrection, isPick, pickerWords, postCorrection, startPicker } from '../../extension/lib/corrections.js';
import { makeTranslator } from '../../extension/lib/i18n.js';
import { correctionControl } from '../../extension/popup/correction.js';
import { renderCorrection } from '../../extension/popup/render/correction.js';
import { FakeNode, byAction, installFakeDom } from './fake_dom.mjs';

installFakeDom();

const ROOT = new URL('../../extension/', import.meta.url).pathname;
const load = async (path) => JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8'));
const settings = { serverUrl: 'http://127.0.0.1:8750', token: 'code-1' };
const XSS = '<img src=x onerror=alert(1)>';

function fakeFetch(status, body) {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body && JSON.parse(init.body) });
    return { ok: status < 300, status, json: async () => body };
  };
  return { calls, fetchFn };
}

function recorder() {
  const calls = [];
  return { calls, actions: { pick: (f) => calls.push(['pick', f]), remove: (c) => calls.push(['remove', c.id]) } };
}

const applied = { id: 'c1', field: 'price', selector: 'span.price-now', status: 'applied', value: '€99.00' };
const stale = { ...applied, status: 'stale' };

// What a briefing says about the price, and what the popup's line then is.
const BRIEFINGS = [
  { story: 'no correction: the automatic price stands', briefing: { price: { source: 'jsonld' } }, state: 'none' },
  { story: 'an applied correction set the price', briefing: { price: { source: 'correction' }, corrections: [applied] }, state: 'applied' },
  { story: 'a correction that no longer matches: the automatic price stands', briefing: { price: { source: 'jsonld' }, corrections: [stale] }, state: 'stale' },
  { story: 'a correction of another field says nothing of the price', briefing: { corrections: [{ ...applied, field: 'reviews' }] }, state: 'none' },
];

for (const { story, briefing, state } of BRIEFINGS) {
  test(`briefing: ${story}`, () => {
    assert.equal(correctionOf(briefing, 'price').state, state);
  });
}

test('the pick goes to the server with the pairing code, and undo deletes it by id', async () => {
  const { calls, fetchFn } = fakeFetch(201, { correction: { id: 'c1' } });
  const pick = { url: 'http://outlet-shop.test/p/1', field: 'price', selector: 'span.price-now', value: '€99.00' };
  const answer = await postCorrection(settings, fetchFn, pick);
  assert.ok(answer.ok);
  assert.equal(calls[0].url, 'http://127.0.0.1:8750/v1/corrections');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].headers.Authorization, 'Bearer code-1');
  assert.deepEqual(calls[0].body, pick);
  const gone = fakeFetch(204, null);
  assert.ok((await deleteCorrection(settings, gone.fetchFn, 'c/1')).ok);
  assert.equal(gone.calls[0].url, 'http://127.0.0.1:8750/v1/corrections/c%2F1');
  assert.equal(gone.calls[0].method, 'DELETE');
});

test('a refused selector is said in the server\'s words', async () => {
  const { fetchFn } = fakeFetch(400, { error: { code: 'bad_selector', message: 'the selector cannot be read' } });
  const answer = await postCorrection(settings, fetchFn, { url: 'http://a.test/', field: 'price', selector: 'x' });
  assert.equal(answer.ok, false);
  const line = renderCorrection({ field: 'price', state: 'none', phase: 'idle', error: answer.error }, await context(), recorder().actions);
  assert.match(line.text, /could not be kept\. the selector cannot be read/);
});

test('only a well-formed pick from the picker is taken', () => {
  const good = { type: 'correction-pick', field: 'price', url: 'https://shop.test/p', selector: '#price', value: '9' };
  assert.ok(isPick(good));
  for (const bad of [{ ...good, type: 'other' }, { ...good, field: 'title' }, { ...good, url: 'file:///etc' }, { ...good, selector: '' }, { ...good, selector: 'a'.repeat(1001) }, null]) {
    assert.equal(isPick(bad), false, JSON.stringify(bad));
  }
});

async function context(language = 'en') {
  return { t: await makeTranslator(language, load), locale: language };
}

test('the price line asks "Not the right price?", then says where the price came from and offers Undo', async () => {
  const ctx = await context();
  const { calls, actions } = recorder();
  const none = renderCorrection({ field: 'price', state: 'none', shown: true, phase: 'idle' }, ctx, actions);
  assert.equal(none.find(byAction('pick')).textContent, 'Not the right price?');
  none.find(byAction('pick')).fire('click');
  const done = renderCorrection({ field: 'price', state: 'applied', correction: applied, phase: 'idle' }, ctx, actions);
  assert.equal(done.attributes['data-state'], 'applied');
  assert.match(done.text, /Price from your correction/);
  done.find(byAction('undo')).fire('click');
  assert.deepEqual(calls, [['pick', 'price'], ['remove', 'c1']]);
});

test('a stale correction is said, with "Pick again" and "Remove"', async () => {
  const { calls, actions } = recorder();
  const line = renderCorrection({ field: 'price', state: 'stale', correction: stale, phase: 'idle' }, await context('it'), actions);
  assert.match(line.text, /non corrisponde più a questa pagina/);
  line.find(byAction('pick-again')).fire('click');
  line.find(byAction('remove')).fire('click');
  assert.deepEqual(calls, [['pick', 'price'], ['remove', 'c1']]);
});

test('reviews: "Reviews missing?" when none are shown, "Not the reviews?" when some are', async () => {
  const ctx = await context('fr');
  const { actions } = recorder();
  const missing = renderCorrection({ field: 'reviews', state: 'none', shown: false, phase: 'idle' }, ctx, actions);
  const shown = renderCorrection({ field: 'reviews', state: 'none', shown: true, phase: 'idle' }, ctx, actions);
  assert.equal(missing.find(byAction('pick')).textContent, 'Des avis manquent ?');
  assert.equal(shown.find(byAction('pick')).textContent, 'Ce ne sont pas les avis ?');
});

test('text from the server stays text', async () => {
  const { fetchFn } = fakeFetch(400, { error: { code: 'bad_selector', message: XSS } });
  const answer = await postCorrection(settings, fetchFn, { url: 'http://a.test/', field: 'price', selector: 'x' });
  const line = renderCorrection({ field: 'price', state: 'none', phase: 'idle', error: answer.error }, await context(), recorder().actions);
  const error = line.find((n) => n.attributes.role === 'alert');
  assert.ok(error.textContent.endsWith(XSS));
  assert.equal(error.children.length, 0);
});

test('the picker is started with its words in the shopper\'s language, then selector.js and picker.js', async () => {
  const injected = [];
  const scripting = { executeScript: async (details) => injected.push(details) };
  const words = pickerWords('price', await context('it').then((c) => c.t));
  assert.ok(await startPicker(scripting, 7, words));
  assert.match(injected[0].args[0].hint, /fai clic sul prezzo che paghi/);
  assert.equal(injected[0].target.tabId, 7);
  assert.deepEqual(injected[1].files, ['lib/selector.js', 'lib/picker.js']);
  const refused = { executeScript: async () => { throw new Error('Cannot access contents of the page'); } };
  assert.equal(await startPicker(refused, 7, words), false);
});

/** The popup's price and reviews sections, each with a body the control puts its line after. */
function popupSections() {
  const sections = {};
  for (const name of ['price', 'reviews']) {
    const section = new FakeNode('section');
    const body = new FakeNode('div');
    body.after = (node) => section.append(node);
    section.querySelector = () => body;
    section.append(body);
    sections[name] = section;
  }
  globalThis.document.querySelector = (selector) => sections[/data-section="(\w+)"/.exec(selector)[1]] ?? null;
  return sections;
}

const lineOf = (section) => section.children[1].children[0];
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('in the popup: the picker starts in the tab and the popup steps aside; Undo deletes, then briefs again', async () => {
  const sections = popupSections();
  const injected = [];
  const events = [];
  const { calls, fetchFn } = fakeFetch(204, null);
  const control = correctionControl(await context(), {
    settings, fetch: fetchFn, tabId: 9, scripting: { executeScript: async (d) => injected.push(d) },
    refresh: () => events.push('refresh'), close: () => events.push('close'),
  });
  control.show({ phase: 'streaming', arrived: ['product'], briefing: { product: { id: 'p' } } });
  assert.equal(sections.price.children[1].hidden, true, 'nothing to offer before the briefing is done');

  const done = { phase: 'done', arrived: ['product', 'price'], briefing: { product: { id: 'p' }, price: { current: { price: '79.00' }, source: 'jsonld' } } };
  control.show(done);
  lineOf(sections.price).find(byAction('pick')).fire('click');
  await settle();
  assert.equal(injected.length, 2);
  assert.deepEqual(events, ['close']);
  assert.equal(lineOf(sections.price).attributes['data-state'], 'picking');

  control.show({ ...done, briefing: { ...done.briefing, price: { current: { price: '99.00' }, source: 'correction' }, corrections: [applied] } });
  assert.equal(lineOf(sections.price).attributes['data-source'], 'correction');
  lineOf(sections.price).find(byAction('undo')).fire('click');
  await settle();
  assert.deepEqual(calls.map((c) => [c.method, c.url]), [['DELETE', 'http://127.0.0.1:8750/v1/corrections/c1']]);
  assert.deepEqual(events, ['close', 'refresh']);
});

test('in the popup: a tab that will not take the picker is said so, and the popup stays', async () => {
  const sections = popupSections();
  const events = [];
  const control = correctionControl(await context(), {
    settings, fetch: fakeFetch(204, null).fetchFn, tabId: 9,
    scripting: { executeScript: async () => { throw new Error('Cannot access a chrome:// URL'); } },
    refresh: () => events.push('refresh'), close: () => events.push('close'),
  });
  control.show({ phase: 'done', arrived: ['product', 'reviews'], briefing: { product: { id: 'p' }, reviews: null } });
  lineOf(sections.reviews).find(byAction('pick')).fire('click');
  await settle();
  assert.match(lineOf(sections.reviews).text, /cannot point at anything on this page/);
  assert.deepEqual(events, []);
});
