import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  failedSources, failureOf, hasArrived, isNotProduct, startView, withDone, withError, withSection, withStarted,
} from '../../extension/lib/briefing.js';

test('a running briefing fills in section by section, then done marks everything arrived', () => {
  let view = withStarted(startView(), { id: 'b1', status: 'running', product: { name: 'Kettle' }, price: null }, false);
  assert.equal(view.phase, 'streaming');
  assert.ok(hasArrived(view, 'product'));
  assert.ok(!hasArrived(view, 'price'));
  view = withSection(view, { section: 'price', data: { verdict: 'fair' } });
  assert.ok(hasArrived(view, 'price'));
  assert.equal(view.briefing.price.verdict, 'fair');
  view = withSection(view, { section: 'nonsense', data: 1 });
  assert.equal(view.briefing.nonsense, undefined);
  view = withDone(view, { ...view.briefing, status: 'complete', verdict: null });
  assert.ok(['verdict', 'sources', 'mentions'].every((s) => hasArrived(view, s)));
  assert.equal(view.phase, 'done');
});

test('a product-less page is "not a product page" only once the product section arrived', () => {
  const started = withStarted(startView(), { id: 'b', status: 'running', product: null }, false);
  assert.equal(isNotProduct(started), false);
  assert.equal(isNotProduct(withSection(started, { section: 'product', data: null })), true);
});

test('a cached answer (200) is done at once', () => {
  const view = withStarted(startView(), { id: 'b', status: 'complete', product: null }, true);
  assert.equal(view.phase, 'done');
});

test('HTTP failures map to the states the popup shows', () => {
  assert.deepEqual(failureOf(401, { error: { code: 'unauthorized', message: 'token needed' } }), { kind: 'unauthorized', detail: 'token needed' });
  assert.equal(failureOf(400, { error: { message: 'bad url' } }).detail, 'bad url');
  assert.equal(failureOf(500, null).detail, 'HTTP 500');
  assert.equal(withError(startView(), { kind: 'unreachable' }).phase, 'error');
});

test('failed sources are errors, timeouts and blocks, not skips', () => {
  const sources = [{ status: 'ok' }, { status: 'skipped' }, { status: 'timeout' }, { status: 'error' }, { status: 'blocked' }];
  assert.equal(failedSources({ sources }).length, 3);
  assert.deepEqual(failedSources(null), []);
});
