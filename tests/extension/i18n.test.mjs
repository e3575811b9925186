import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { makeTranslator, pickLanguage, translate } from '../../extension/lib/i18n.js';

const ROOT = new URL('../../extension/', import.meta.url).pathname;
const LANGUAGES = ['en', 'it', 'fr'];
const messages = Object.fromEntries(
  LANGUAGES.map((l) => [l, JSON.parse(readFileSync(join(ROOT, '_locales', l, 'messages.json'), 'utf8'))]),
);

function sources(dir = ROOT) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '_locales' ? [] : sources(path);
    return /\.(js|html)$/.test(name) ? [path] : [];
  });
}

test('the language is the chosen one, else the browser one when spoken, else English', () => {
  assert.equal(pickLanguage('it', 'fr-FR'), 'it');
  assert.equal(pickLanguage('auto', 'fr-CA'), 'fr');
  assert.equal(pickLanguage('auto', 'de-DE'), 'en');
  assert.equal(pickLanguage('xx', 'it_IT'), 'it');
});

test('messages fill $1..$9 and fall back to English, then to the key', () => {
  const it = { a: { message: 'ciao $1, $2$$' } };
  assert.equal(translate(it, {}, 'a', ['Ada', 3]), 'ciao Ada, 3$');
  assert.equal(translate(it, { b: { message: 'B' } }, 'b'), 'B');
  assert.equal(translate(it, {}, 'missing'), 'missing');
  assert.equal(translate({ n: { message: 'n=$count$', placeholders: { count: { content: '$1' } } } }, {}, 'n', [4]), 'n=4');
});

test('makeTranslator loads the chosen language over English', async () => {
  const t = await makeTranslator('it', async (path) => messages[path.split('/')[1]]);
  assert.equal(t('priceTitle'), 'Prezzo');
  assert.equal(t('phase_done', [26]), 'Riepilogo completo in 26 ms');
});

test('English, Italian and French have the same keys, and none is empty', () => {
  const keys = Object.keys(messages.en).sort();
  for (const lang of LANGUAGES) {
    assert.deepEqual(Object.keys(messages[lang]).sort(), keys, lang);
    for (const [key, entry] of Object.entries(messages[lang])) assert.ok(entry.message.trim(), `${lang}.${key}`);
  }
});

test('every key the code names exists, including the ones built from a prefix', () => {
  const text = sources().map((p) => readFileSync(p, 'utf8')).join('\n');
  const named = [...text.matchAll(/\bt\('([A-Za-z_]+)'|data-i18n="([A-Za-z_]+)"/g)].map((m) => m[1] || m[2]);
  const built = {
    verdict_: ['buy', 'consider', 'wait', 'avoid', 'unknown'],
    price_: ['good_deal', 'fair', 'high', 'unknown'],
    status_: ['ok', 'error', 'timeout', 'skipped', 'blocked'],
    phase_: ['capturing', 'sending', 'streaming', 'done', 'partial'],
    availability_: ['in_stock', 'out_of_stock', 'preorder'],
    tone_: ['good', 'bad', 'neutral'],
  };
  const manifest = readFileSync(join(ROOT, 'manifest.json'), 'utf8');
  const fromManifest = [...manifest.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]);
  const needed = [...named, ...fromManifest, ...Object.entries(built).flatMap(([p, v]) => v.map((s) => p + s))];
  assert.ok(named.length > 40);
  for (const key of needed) assert.ok(messages.en[key], `missing message ${key}`);
});
