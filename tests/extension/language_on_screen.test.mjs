/**
 * One language on screen: every word the popup and the options page show comes from _locales, in English,
 * Italian and French alike, and the sentences the server sends as codes are said in the popup's language.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { makeTranslator } from '../../extension/lib/i18n.js';
import { sayCode, saySentences } from '../../extension/lib/words.js';

const ROOT = new URL('../../extension/', import.meta.url).pathname;
const LANGUAGES = ['en', 'it', 'fr'];
const messages = Object.fromEntries(
  LANGUAGES.map((l) => [l, JSON.parse(readFileSync(join(ROOT, '_locales', l, 'messages.json'), 'utf8'))]),
);
const SHOWN = ['popup', 'options', 'lib'];

function files(dir, pattern) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

const code = SHOWN.flatMap((dir) => files(join(ROOT, dir), /\.(js|html)$/)).map((p) => [p, readFileSync(p, 'utf8')]);

function placeholders(message) {
  return [...message.matchAll(/\$(\w+)\$/g)].map((m) => m[1].toLowerCase()).sort();
}

async function translator(language) {
  return makeTranslator(language, async (path) => messages[path.split('/')[1]]);
}

test('every message the popup and the options page name exists in English, Italian and French', () => {
  const text = code.map(([, source]) => source).join('\n');
  const named = [...text.matchAll(/\bt\('([A-Za-z_]+)'|data-i18n="([A-Za-z_]+)"|labelOr\(\w+, '([A-Za-z_]+)'/g)]
    .map((m) => m[1] || m[2] || m[3]);
  // Keys built from a name the server sends: each prefix the code uses has a label for every known name.
  const prefixes = [...text.matchAll(/[`'](\w+_)\$\{/g)].map((m) => m[1]);
  assert.ok(named.length > 40 && prefixes.includes('signal_') && prefixes.includes('kind_'), prefixes.join());
  for (const prefix of prefixes) {
    // A code (trust_…) is said through its say_ message.
    const known = (k) => k.startsWith(prefix) || k.startsWith(`say_${prefix}`);
    assert.ok(Object.keys(messages.en).some(known), `no message starts with ${prefix}`);
  }
  for (const lang of LANGUAGES) {
    for (const key of named) assert.ok(messages[lang][key]?.message, `${lang} lacks ${key}`);
  }
});

test('each message has the same placeholders in the three languages', () => {
  for (const [key, entry] of Object.entries(messages.en)) {
    for (const lang of ['it', 'fr']) {
      const other = messages[lang][key];
      assert.ok(other, `${lang} lacks ${key}`);
      assert.deepEqual(placeholders(other.message), placeholders(entry.message), `${lang}.${key}`);
      assert.deepEqual(Object.keys(other.placeholders || {}).sort(), Object.keys(entry.placeholders || {}).sort(), `${lang}.${key}`);
    }
  }
});

test('the pages and renderers write no words of their own: text is a message, a value or a symbol', () => {
  for (const [path, source] of code) {
    for (const m of source.matchAll(/text: ('[^']*'|`[^`]*`)/g)) {
      const literal = m[1].replace(/\$\{[^}]*\}/g, '');
      assert.doesNotMatch(literal.replace(/'hello'/, ''), /[A-Za-z]{2,}/, `${path}: ${m[0]}`);
    }
    if (path.endsWith('.html')) {
      const shown = source.replace(/<(script|title)[^>]*>[^<]*<\/\1>/g, '')
        .replace(/<option value="(en|it|fr)">[^<]*<\/option>/g, '') // each language in its own name
        .replace(/<[^>]*>/g, ' ');
      assert.doesNotMatch(shown, /[A-Za-z]{2,}/, path);
    }
  }
});

test("the verdict's codes are said in Italian, with the quote as the reviewer wrote it", async () => {
  const t = await translator('it');
  const ctx = { t, locale: 'it-IT' };
  const quote = 'It stopped working after two weeks';
  const reasons = [
    { code: 'serious', values: { quote } },
    { code: 'rating', values: { rating: 4.25 } },
    { code: 'low_share', values: { share: 0.23 } },
  ];
  assert.equal(sayCode(reasons[0], ctx), `Alcuni segnalano un problema serio: “${quote}”`);
  assert.equal(sayCode(reasons[1], ctx), 'Valutato 4,3/5 da chi l\'ha recensito');
  assert.equal(
    sayCode({ code: 'consider', values: { reasons: reasons.slice(0, 2) } }, ctx),
    `Da valutare, con qualche riserva: alcuni segnalano un problema serio: “${quote}”; valutato 4,3/5 da chi l'ha recensito.`,
  );
});

test("a price reason is said sentence by sentence; a seller's name keeps its capital after a colon", async () => {
  const fr = { t: await translator('fr'), locale: 'fr-FR' };
  const reason = [
    { code: 'price_above', values: { change: 20, usual: '100.00', currency: 'EUR', days: 90, rank: 95 } },
    { code: 'price_elsewhere', values: { seller: 'SoundHaus', amount: '99.00', currency: 'EUR', save: '21.00' } },
  ];
  assert.equal(
    saySentences(reason, fr),
    '20\u202f% au-dessus de son prix habituel de 100,00 EUR sur les 90 derniers jours ; 95\u202f% des prix relevés étaient plus bas.'
      + ' SoundHaus le vend 99,00 EUR (économie de 21,00 EUR).',
  );
  const wait = { code: 'wait', values: { reasons: [{ code: 'price', values: { reason: reason.slice(1) } }] } };
  assert.equal(sayCode(wait, fr), 'Un bon produit, mais mieux vaut attendre un meilleur prix : SoundHaus le vend 99,00 EUR (économie de 21,00 EUR).');
  const another = { code: 'price_elsewhere', values: { seller: { code: 'another_seller' }, amount: '9', currency: 'EUR', save: '1' } };
  assert.match(sayCode(another, fr), /^Un autre vendeur le vend 9,00 EUR/);
});

test("a code the extension does not know yet gives null, so the server's words are shown", async () => {
  const ctx = { t: await translator('it'), locale: 'it' };
  assert.equal(sayCode({ code: 'from_a_newer_server', values: {} }, ctx), null);
  assert.equal(sayCode({ code: 'untrusted', values: { grade: 'D', detail: { code: 'trust_new_signal', values: {} } } }, ctx), null);
  assert.equal(saySentences([], ctx), null);
});
