import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULTS, apiHeaders, apiUrl, normalizeServerUrl, originPattern, withDefaults } from '../../extension/lib/settings.js';

test('a fresh install talks to the local server in the browser language', () => {
  assert.deepEqual(withDefaults({}), { serverUrl: 'http://127.0.0.1:8750', token: '', language: 'auto' });
  assert.deepEqual(withDefaults(undefined), { ...DEFAULTS });
});

test('invalid stored values fall back to the defaults', () => {
  assert.deepEqual(withDefaults({ serverUrl: 'ftp://x', token: 5, language: 'de' }), { ...DEFAULTS });
  assert.equal(withDefaults({ token: '  abc ' }).token, 'abc');
});

test('server addresses are http(s), without trailing slash, credentials, query or fragment', () => {
  assert.equal(normalizeServerUrl(' http://127.0.0.1:8750/ '), 'http://127.0.0.1:8750');
  assert.equal(normalizeServerUrl('https://zmot.home.test/api/'), 'https://zmot.home.test/api');
  for (const bad of ['javascript:alert(1)', 'file:///x', 'http://u:p@host', 'http://h/?q=1', 'nonsense', '', null]) {
    assert.equal(normalizeServerUrl(bad), null, String(bad));
  }
});

test('the permission asked for is the server host, any port', () => {
  assert.equal(originPattern('http://127.0.0.1:8750'), 'http://127.0.0.1/*');
  assert.equal(originPattern('https://zmot.home.test/api'), 'https://zmot.home.test/*');
});

test('API addresses and headers', () => {
  assert.equal(apiUrl('http://h:1/base', '/v1/briefings'), 'http://h:1/base/v1/briefings');
  assert.deepEqual(apiHeaders('', true), { Accept: 'application/json', 'Content-Type': 'application/json' });
  assert.deepEqual(apiHeaders('t'), { Accept: 'text/event-stream', Authorization: 'Bearer t' });
});
