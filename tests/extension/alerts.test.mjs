/** Alerts reach the shopper's browser: the background asks for new ones and shows each once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  OVERLAP_S, notificationFor, notificationIdFor, pageOfNotification, pollAlerts,
} from '../../extension/lib/alerts.js';

const settings = { serverUrl: 'http://127.0.0.1:8750', token: 'secret' };

/** chrome.storage.local as far as the poller uses it. */
function fakeStorage(initial = {}) {
  const data = { ...initial };
  return {
    data,
    async get(keys) { return Object.fromEntries([keys].flat().filter((k) => k in data).map((k) => [k, data[k]])); },
    async set(values) { Object.assign(data, values); },
  };
}

function alert(id, at, extra = {}) {
  return {
    id, product_id: '0123456789abcdef', url: 'https://shop.test/p/1', name: 'Lume 2', rule: 'drop',
    old_price: '449.00', new_price: '409.00', currency: 'EUR', seller: 'shop.test', at,
    title: 'Lume 2: now €409.00', body: 'Down from €449.00 at shop.test', ...extra,
  };
}

/** A server whose answers are a list of {alerts, now}, one per request; records what it was asked. */
function server(answers) {
  const asked = [];
  const fetch = async (url, init) => {
    asked.push({ url: new URL(url), init });
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return Response.json(next);
  };
  return { asked, fetch };
}

async function poll(storage, fetch) {
  const shown = [];
  const count = await pollAlerts({ settings, storage, fetch, notify: async (a) => shown.push(a.id), now: () => 2000 });
  return { count, shown };
}

test('nothing is asked before the shopper watches anything', async () => {
  const { asked, fetch } = server([]);
  assert.deepEqual(await poll(fakeStorage(), fetch), { count: 0, shown: [] });
  assert.equal(asked.length, 0);
});

test('each new alert is shown once, across polls that overlap, and `since` follows the server', async () => {
  const storage = fakeStorage({ alertsSince: 1000 });
  const first = alert('a1', 1100);
  const { asked, fetch } = server([
    { alerts: [first], now: 1200 },
    { alerts: [first, alert('a2', 1250)], now: 1300 }, // the overlap brings a1 again: not shown twice
    { alerts: [], now: 1400 },
  ]);
  assert.deepEqual(await poll(storage, fetch), { count: 1, shown: ['a1'] });
  assert.deepEqual(await poll(storage, fetch), { count: 1, shown: ['a2'] });
  assert.deepEqual(await poll(storage, fetch), { count: 0, shown: [] });
  assert.deepEqual(asked.map((a) => Number(a.url.searchParams.get('since'))), [1000 - OVERLAP_S, 1200 - OVERLAP_S, 1300 - OVERLAP_S]);
  assert.equal(asked[0].url.pathname, '/v1/alerts');
  assert.equal(asked[0].init.headers.Authorization, 'Bearer secret');
  assert.equal(storage.data.alertsSince, 1400);
  assert.deepEqual(storage.data.alertsShown, ['a1', 'a2']);
});

test('a server that is away costs nothing: the same alerts are asked for next time', async () => {
  const storage = fakeStorage({ alertsSince: 1000 });
  const { asked, fetch } = server([new TypeError('Failed to fetch'), { alerts: [alert('a1', 1100)], now: 1200 }]);
  assert.deepEqual(await poll(storage, fetch), { count: 0, shown: [] });
  assert.equal(storage.data.alertsSince, 1000);
  assert.deepEqual(await poll(storage, fetch), { count: 1, shown: ['a1'] });
  assert.equal(asked.length, 2);
});

test("a notification carries the alert's title and body, and a click opens the product's page", () => {
  const made = notificationFor(alert('a1', 1100), 'chrome-extension://x/icons/icon-128.png');
  assert.deepEqual(made, {
    type: 'basic', iconUrl: 'chrome-extension://x/icons/icon-128.png', title: 'Lume 2: now €409.00',
    message: 'Down from €449.00 at shop.test',
  });
  assert.equal(pageOfNotification(notificationIdFor(alert('a:1', 1))), 'https://shop.test/p/1');
  assert.equal(pageOfNotification(notificationIdFor(alert('a2', 1, { url: 'javascript:alert(1)' }))), null);
  assert.equal(pageOfNotification('someone-else'), null);
});
