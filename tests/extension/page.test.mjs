import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MAX_HTML_BYTES, briefingRequest, capUtf8, utf8Length } from '../../extension/lib/page.js';

test('capping never splits a character', () => {
  assert.equal(capUtf8('aé€😀', 100), 'aé€😀');
  assert.equal(capUtf8('aé€😀'.repeat(40), 8), 'aé€');
  assert.equal(capUtf8('😀😀', 5), '😀');
});

test('a page within the limit is sent whole, with its language as the locale', () => {
  const capture = { url: 'https://shop.test/p', html: '<html lang="it"></html>', lang: 'it-IT', jsonld: [] };
  assert.deepEqual(briefingRequest(capture), { url: 'https://shop.test/p', html: capture.html, locale: 'it-IT' });
  assert.equal(briefingRequest({ ...capture, lang: null }, { uiLanguage: 'fr' }).locale, 'fr');
  assert.equal('locale' in briefingRequest({ ...capture, lang: null }), false);
});

test('a page over 5 MB is cut to fit, its JSON-LD kept in front', () => {
  const jsonld = ['{"@type":"Product","name":"Caffè"}'];
  const html = `<html><body>${'é'.repeat(3 * 1024 * 1024)}<script type="application/ld+json">${jsonld[0]}</script></body></html>`;
  const request = briefingRequest({ url: 'https://shop.test/p', html, jsonld });
  assert.ok(utf8Length(request.html) <= MAX_HTML_BYTES);
  assert.ok(request.html.startsWith(`<script type="application/ld+json">${jsonld[0]}</script>`));
  assert.ok(request.html.includes('<html><body>éé'));
});

test('a small cap works the same way', () => {
  const request = briefingRequest({ url: 'u', html: 'x'.repeat(100), jsonld: ['{}'] }, { maxBytes: 60 });
  assert.equal(utf8Length(request.html), 60);
});
