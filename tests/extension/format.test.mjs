import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  distributionRows, hostOf, money, percent, safeHref, saving, shortDate, sparkline, stars,
} from '../../extension/lib/format.js';

test('money is written for the locale, with a plain fallback for an unknown currency code', () => {
  assert.equal(money('249.99', 'USD', 'en-US'), '$249.99');
  assert.match(money('39.9', 'EUR', 'it-IT'), /^39,90\s€$/);
  assert.equal(money('5', 'not a code', 'en'), '5.00 not a code');
  assert.equal(money(null, 'USD', 'en'), '');
});

test('percent rounds a share', () => {
  assert.equal(percent(0.667, 'en'), '67%');
  assert.equal(percent(undefined, 'en'), '');
});

test('a saving exists only for a lower price in the same currency', () => {
  const current = { price: '249.99', currency: 'USD' };
  const save = saving(current, { price: '219.00', currency: 'USD' });
  assert.equal(save.amount, '30.99');
  assert.equal(save.share.toFixed(3), '0.124');
  assert.equal(saving(current, { price: '249.99', currency: 'USD' }), null);
  assert.equal(saving(current, { price: '10', currency: 'EUR' }), null);
  assert.equal(saving(current, null), null);
});

test("a saving counts shipping, and the server's figure wins when it sent one", () => {
  const current = { price: '249.99', currency: 'USD', shipping: '0.00' };
  const lowest = { price: '229.00', currency: 'USD', shipping: '5.99' };
  assert.equal(saving(current, lowest).amount, '15.00');
  const fromServer = { amount: '15.00', currency: 'USD', percent: '6' };
  assert.deepEqual(saving(current, lowest, fromServer), { amount: '15.00', share: 0.06, currency: 'USD' });
  assert.equal(saving(current, { price: '252.00', currency: 'USD', shipping: '0' }), null);
});

test('only http(s) addresses become link targets', () => {
  assert.equal(safeHref('https://shop.test/a b'), 'https://shop.test/a%20b');
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'file:///etc/passwd', '/relative', '', null, 42]) {
    assert.equal(safeHref(bad), null, String(bad));
  }
  assert.equal(hostOf('https://blog.test/x'), 'blog.test');
  assert.equal(hostOf('nonsense'), '');
});

test('a sparkline spans the box, high prices at the top, and needs two points', () => {
  const points = [{ amount: '10' }, { amount: '20' }, { amount: 'x' }, { amount: '15' }];
  assert.equal(sparkline(points, 100, 20, 0), '0,20 50,0 100,10');
  assert.equal(sparkline([{ amount: '5' }, { amount: '5' }], 10, 20, 0), '0,10 10,10');
  assert.equal(sparkline([{ amount: '5' }], 10, 10), '');
  assert.equal(sparkline(null, 10, 10), '');
});

test('stars, distribution rows and dates', () => {
  assert.equal(stars(3.9), '★★★★☆');
  assert.equal(stars(9), '★★★★★');
  assert.equal(stars(null), '');
  const rows = distributionRows({ 1: 1, 2: 0, 3: 0, 4: 1, 5: 2 });
  assert.deepEqual(rows.map((r) => [r.star, r.share]), [['5', 0.5], ['4', 0.25], ['3', 0], ['2', 0], ['1', 0.25]]);
  assert.deepEqual(distributionRows({}), []);
  assert.equal(shortDate('2026-03-02', 'en-US'), 'Mar 2, 2026');
  assert.equal(shortDate('someday', 'en'), 'someday');
});
