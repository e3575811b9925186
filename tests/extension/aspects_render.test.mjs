/**
 * Pros and cons in the shopper's language: an aspect zmot knows is named in their words, one it does not
 * keeps the reviewers' word marked with its language, and the quote stays as the reviewer wrote it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { makeTranslator } from '../../extension/lib/i18n.js';
import { renderReviews } from '../../extension/popup/render/reviews.js';
import { installFakeDom } from './fake_dom.mjs';

installFakeDom();
const ROOT = new URL('../../extension/', import.meta.url).pathname;
const load = async (path) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

const italianReviews = {
  count: 12, rating: 4.4, analyzed: 12,
  pros: [
    { aspect: 'batteria', language: 'it', concept: 'battery', label: 'battery', label_language: 'en', mentions: 5,
      sentiment: 0.6, quotes: ['La batteria dura due giorni.'] },
    { aspect: 'legno', language: 'it', concept: null, label: 'legno', label_language: 'it', mentions: 2,
      sentiment: 0.5, quotes: ['Il legno è robusto.'] },
  ],
  cons: [{ aspect: 'cavo', language: 'it', mentions: 2, sentiment: -0.4, quotes: ['Il cavo è corto.'] }],
};

async function pros(reviews, language) {
  const ctx = { t: await makeTranslator(language, load), locale: language };
  const root = { children: renderReviews(reviews, ctx).filter(Boolean) };
  const lists = root.children.flatMap((n) => n.findAll((m) => m.attributes?.['data-aspects']));
  return Object.fromEntries(lists.map((list) => [list.attributes['data-aspects'],
    list.findAll((n) => n.tag === 'li').map((li) => ({ name: li.children[0], quote: li.children[1] }))]));
}

test('an English shopper reads an Italian product\'s known aspect in English, the quote as written', async () => {
  const { pros: [battery, wood] } = await pros(italianReviews, 'en');
  assert.equal(battery.name.text, 'battery (5)');
  assert.equal(battery.name.getAttribute('lang'), null);  // in the page's own language
  assert.equal(battery.quote.text, 'La batteria dura due giorni.');
  assert.equal(battery.quote.getAttribute('lang'), 'it');
  assert.equal(wood.name.text, 'legno (2)');  // not known: the reviewers' word, marked Italian
  assert.equal(wood.name.getAttribute('lang'), 'it');
});

test('an Italian shopper reads the reviewers\' own words with no language marks', async () => {
  const asked = structuredClone(italianReviews);
  asked.pros[0].label = 'batteria';  // what the server labels for a shopper reading Italian
  asked.pros[0].label_language = 'it';
  const { pros: [battery], cons: [cable] } = await pros(asked, 'it');
  assert.equal(battery.name.text, 'batteria (5)');
  assert.equal(battery.name.getAttribute('lang'), null);
  assert.equal(battery.quote.getAttribute('lang'), null);
  assert.equal(cable.name.text, 'cavo (2)');  // a briefing from before labels: the aspect as written
  assert.equal(cable.name.getAttribute('lang'), null);
});
