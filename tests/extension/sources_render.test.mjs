/**
 * Why a source failed, in the shopper's language: the popup says each `error_code` with its own _locales
 * and shows the server's text only for a reason it has no words for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { makeTranslator } from '../../extension/lib/i18n.js';
import { renderSources } from '../../extension/popup/render/sources.js';
import { installFakeDom } from './fake_dom.mjs';

installFakeDom();
const ROOT = new URL('../../extension/', import.meta.url).pathname;
const load = async (path) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

async function shown(sources, language) {
  const ctx = { t: await makeTranslator(language, load), locale: language };
  const [list] = renderSources(sources, ctx);
  return list.children.map((item) => item.text);
}

const notFound = {
  name: 'mention', plugin: 'ddgs', url: 'https://blog.example/post', status: 'error', elapsed_ms: 40,
  error: 'the site answered HTTP 404', error_code: { code: 'source_http', values: { status: 404 } },
};
const offTopic = {
  name: 'offer', url: 'https://shop.example/p/1', status: 'skipped', elapsed_ms: 12,
  error: 'not about this product', error_code: { code: 'source_not_about', values: {} },
};

test('an Italian shopper reads why a blog and a shop were left out in Italian', async () => {
  const [failed, skipped] = await shown([offTopic, notFound], 'it');
  assert.match(failed, /Il sito ha risposto HTTP 404$/);  // problems first
  assert.match(skipped, /Non parla di questo prodotto$/);
  assert.doesNotMatch(failed + skipped, /answered|about this product/);
});

test('a French shopper reads that robots.txt refused the page', async () => {
  const robots = {
    name: 'mention', url: 'https://forum.example/t/9', status: 'blocked', elapsed_ms: 3,
    error: 'https://forum.example/t/9: robots.txt disallows it', error_code: { code: 'source_robots_disallowed', values: {} },
  };
  const [line] = await shown([robots], 'fr');
  assert.match(line, /Le robots\.txt du site demande aux robots de ne pas lire cette page$/);
});

test("a reason without a code, or with a code the popup does not know, is the server's text as it came", async () => {
  const plugin = { name: 'shop_data', status: 'error', error: 'quota exceeded for this API key' };
  const newer = { name: 'offer', status: 'skipped', error: 'a reason from a newer server', error_code: { code: 'source_newer', values: {} } };
  const [first, second] = await shown([plugin, newer], 'it');
  assert.match(first, /quota exceeded for this API key$/);
  assert.match(second, /a reason from a newer server$/);
});

test('a timeout without a code is said as lateness; with one, as its code says', async () => {
  const late = { name: 'reviews', status: 'timeout', error: 'not finished before the briefing deadline' };
  const read = { ...late, name: 'mention', error_code: { code: 'source_read_late', values: {} } };
  const [plain, coded] = await shown([late, read], 'fr');
  assert.match(plain, /Pas terminé avant la limite de temps de la synthèse\.$/);
  assert.match(coded, /La page n'a pas été lue avant la limite de temps de la synthèse$/);
});
