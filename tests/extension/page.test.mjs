import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MAX_HTML_BYTES, briefingRequest, capJson, jsonLength, jsonPrefix } from '../../extension/lib/page.js';

/** What the server counts: the UTF-8 bytes of the value as it travels in the JSON body. */
const sentBytes = (value) => Buffer.byteLength(JSON.stringify(value), 'utf8');

// Every kind of character JSON writes longer than it is: quotes, backslashes, control characters (short
// and \u00XX escapes), a lone surrogate, and 2-, 3- and 4-byte UTF-8.
const AWKWARD = ['"', '\\', '\n', '\t', '\u0001', '\u001f', '\ud800', 'é', '€', '😀', 'a', '\u2028', '\u007f'];

test('the measure is the size of the JSON string, for every kind of character', () => {
  for (const text of [...AWKWARD, AWKWARD.join(''), '', 'plain ascii', 'x😀\udc00y']) {
    assert.equal(jsonLength(text), sentBytes(text) - 2, JSON.stringify(text));
  }
});

test('capping cuts between characters, never inside a surrogate pair or an escape', () => {
  assert.equal(capJson('aé€😀', 100), 'aé€😀');
  assert.equal(capJson('aé€😀'.repeat(40), 8), 'aé€');
  assert.equal(capJson('😀😀'.repeat(10), 7), '😀');
  assert.equal(capJson('""""""""""', 5), '""');
  assert.equal(capJson('\u0001\u0001'.repeat(9), 11), '\u0001');
  assert.deepEqual(jsonPrefix('ab\\c', 3), { end: 2, bytes: 2 });
});

test('a page within the limit is sent whole, in the language the shopper reads', () => {
  const capture = { url: 'https://shop.test/p', html: '<html lang="it"></html>', lang: 'it-IT', jsonld: [] };
  // The language chosen in the options, else the browser's, else (with neither) the page's.
  assert.deepEqual(briefingRequest(capture, { uiLanguage: 'en-GB', language: 'fr' }), { url: 'https://shop.test/p', html: capture.html, locale: 'fr' });
  assert.equal(briefingRequest(capture, { uiLanguage: 'en-GB', language: 'auto' }).locale, 'en-GB');
  assert.equal(briefingRequest(capture).locale, 'it-IT');
  assert.equal(briefingRequest({ ...capture, lang: null }, { uiLanguage: 'fr' }).locale, 'fr');
  assert.equal('locale' in briefingRequest({ ...capture, lang: null }), false);
});

test('a page over 5 MB is cut to fit, its JSON-LD kept in front', () => {
  const jsonld = ['{"@type":"Product","name":"Caffè"}'];
  const html = `<html><body>${'é'.repeat(3 * 1024 * 1024)}<script type="application/ld+json">${jsonld[0]}</script></body></html>`;
  const request = briefingRequest({ url: 'https://shop.test/p', html, jsonld });
  assert.ok(sentBytes(request.html) <= MAX_HTML_BYTES + 2);
  assert.ok(request.html.startsWith(`<script type="application/ld+json">${jsonld[0]}</script>`));
  assert.ok(request.html.includes('<html><body>éé'));
});

test('a page of quotes, backslashes, control characters and foreign text is cut by its escaped size', () => {
  // 4.6 MB of UTF-8 that JSON writes in 6 MB: capped by its raw size, it was sent whole and refused.
  const text = 'il "Caffè" \\ costa 3€\u0001\t😀 '.repeat(150_000);
  const html = `<html><body><p>${text}</p></body></html>`;
  assert.ok(Buffer.byteLength(html) <= MAX_HTML_BYTES && sentBytes(html) > MAX_HTML_BYTES + 64 * 1024);
  const jsonld = ['{"@type":"Product","name":"Moka \\"Express\\""}'];
  const request = briefingRequest({ url: 'https://shop.test/p', html, jsonld, lang: 'it' });
  const sent = sentBytes(request.html);
  assert.ok(sent <= MAX_HTML_BYTES + 2, `${sent} bytes of html`);
  assert.ok(sent > MAX_HTML_BYTES + 2 - 6, 'the room is used up to the last whole character');
  assert.doesNotMatch(request.html, /[\ud800-\udbff]$/, 'no half of a character at the end');
  assert.ok(request.html.startsWith(`<script type="application/ld+json">${jsonld[0]}</script>\n<html><body>`));
  assert.ok(sentBytes(request) <= MAX_HTML_BYTES + 64 * 1024, 'the whole body fits the server limit');
  assert.equal(JSON.parse(JSON.stringify(request)).html, request.html);
});

test('a small cap works the same way', () => {
  const request = briefingRequest({ url: 'u', html: 'x'.repeat(100), jsonld: ['{}'] }, { maxBytes: 60 });
  assert.equal(sentBytes(request.html), 62);
  assert.ok(request.html.endsWith('\nxxxxxxxxxx'));
});
