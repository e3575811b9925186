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
  const refused = { error: { code: 'unauthorized', message: 'token needed' } };
  assert.deepEqual(failureOf(401, refused), { kind: 'unauthorized', detail: 'token needed', paired: false });
  assert.equal(failureOf(401, null, { paired: true }).paired, true);
  // A 403 to zmot's fixed Chromium origin is no question of pairing: a code would not change it.
  const notOurs = { error: { code: 'origin_not_allowed', message: 'this origin may not call zmot' } };
  assert.deepEqual(failureOf(403, notOurs, { paired: false }), { kind: 'rejected', detail: 'this origin may not call zmot' });
  // Firefox's made-up origin is let in by the pairing code alone: there, the same 403 asks for the code.
  assert.deepEqual(failureOf(403, notOurs, { paired: true, pinnedOrigin: false }), {
    kind: 'unauthorized', detail: 'this origin may not call zmot', paired: true,
  });
  assert.equal(failureOf(403, { error: { code: 'robots_disallowed', message: 'no' } }, { pinnedOrigin: false }).kind, 'rejected');
  assert.equal(failureOf(400, { error: { message: 'bad url' } }).detail, 'bad url');
  assert.equal(failureOf(500, null).detail, 'HTTP 500');
  assert.equal(withError(startView(), { kind: 'unreachable' }).phase, 'error');
});

test('failed sources are errors, timeouts and blocks, not skips', () => {
  const sources = [{ status: 'ok' }, { status: 'skipped' }, { status: 'timeout' }, { status: 'error' }, { status: 'blocked' }];
  assert.equal(failedSources({ sources }).length, 3);
  assert.deepEqual(failedSources(null), []);
});
