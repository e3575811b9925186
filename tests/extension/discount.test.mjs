/** Is the shop's reduction real? The price section says the server's finding, in the popup's language. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { makeTranslator } from '../../extension/lib/i18n.js';
import { discountLine } from '../../extension/popup/render/price.js';
import { installFakeDom } from './fake_dom.mjs';

installFakeDom();

const ROOT = new URL('../../extension/', import.meta.url).pathname;
const load = async (path) => JSON.parse(readFileSync(`${ROOT}${path}`, 'utf8'));
const XSS = '<img src=x onerror=alert(1)>';

const inflated = {
  code: 'inflated', language: 'en', was: '199.00', price: '149.00',
  reason: `The 'was' price of €199.00 is above every price zmot saw shop.test charge ${XSS}`,
  words: { en: 'The was price of €199.00 is above every price seen.', it: 'Il prezzo barrato di 199,00 € è più alto di tutti.' },
};

test('an inflated "was" price is called out in the popup language, as text', async () => {
  const line = discountLine(inflated, { t: await makeTranslator('it', load), locale: 'it-IT' });
  assert.equal(line.attributes['data-discount'], 'inflated');
  assert.match(line.attributes.class, /\bbad\b/);
  assert.equal(line.text, 'Sconto gonfiato: Il prezzo barrato di 199,00 € è più alto di tutti.');
});

test('without words in the popup language the server reason shows, and markup in it stays text', async () => {
  const line = discountLine({ ...inflated, words: {} }, { t: await makeTranslator('en', load), locale: 'en-US' });
  assert.ok(line.text.startsWith('Inflated discount: '));
  assert.ok(line.text.includes(XSS));  // a string child: rendered as text by the DOM, never parsed
  assert.ok(line.children.every((c) => typeof c === 'string' || c.tag !== 'img'));
});

test('a page with no reduction shows no discount line', async () => {
  assert.equal(discountLine(null, { t: await makeTranslator('en', load), locale: 'en' }), null);
});
