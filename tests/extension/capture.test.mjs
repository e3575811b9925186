import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';

const SCRIPT = readFileSync(new URL('../../extension/capture.js', import.meta.url), 'utf8');

/** Run capture.js as the browser would (a classic script whose last value is the result) on a fake page. */
function capture({ html, lang = 'en', canonical = null, jsonld = [], doctype = 'html' }) {
  const document = {
    doctype: doctype ? { name: doctype } : null,
    documentElement: { lang, outerHTML: html },
    title: 'A page',
    querySelector: (selector) => (selector.startsWith('link') && canonical ? { href: canonical } : null),
    querySelectorAll: (selector) => (selector.includes('ld+json') ? jsonld.map((t) => ({ textContent: t })) : []),
  };
  return vm.runInNewContext(SCRIPT, { document, location: { href: 'https://shop.test/p?x=1' } });
}

test('collects the address, canonical address, language, JSON-LD and the rendered HTML', () => {
  const result = capture({
    html: '<html lang="it"><body>ciao</body></html>',
    lang: 'it',
    canonical: 'https://shop.test/p',
    jsonld: ['{"@type":"Product"}', '   '],
  });
  assert.deepEqual(JSON.parse(JSON.stringify(result)), {
    url: 'https://shop.test/p?x=1',
    canonical: 'https://shop.test/p',
    lang: 'it',
    jsonld: ['{"@type":"Product"}'],
    html: '<!DOCTYPE html>\n<html lang="it"><body>ciao</body></html>',
    title: 'A page',
  });
});

test('a page without language, canonical or doctype gives nulls, not errors', () => {
  const result = capture({ html: '<html></html>', lang: '', doctype: null });
  assert.equal(result.lang, null);
  assert.equal(result.canonical, null);
  assert.equal(result.html, '<html></html>');
});

test('a huge page is bounded before it is handed over', () => {
  const result = capture({ html: 'x'.repeat(7 * 1024 * 1024), doctype: null });
  assert.equal(result.html.length, 6 * 1024 * 1024);
});
