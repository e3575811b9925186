import assert from 'node:assert/strict';
import { test } from 'node:test';

import '../../extension/lib/selector.js';

const { buildSelector, select, isStableName } = globalThis.zmotSelector;

/** An element as the picker reads one: tag, id, class attribute, parent, children (and text it must not use). */
function h(tag, attrs = {}, ...children) {
  const node = {
    tagName: tag.toUpperCase(),
    id: attrs.id || '',
    text: '',
    parentElement: null,
    children: [],
    getAttribute: (name) => (name === 'class' ? attrs.class ?? null : null),
  };
  for (const child of children) {
    if (typeof child === 'string') node.text += child;
    else {
      child.parentElement = node;
      node.children.push(child);
    }
  }
  return node;
}

/** A shop's page: <html><body>… with the price the shopper means marked by `mark`. */
function page(...content) {
  return h('html', {}, h('head', {}, h('title', {}, 'Shop')), h('body', {}, ...content));
}

function everyElement(node) {
  return [node, ...node.children.flatMap(everyElement)];
}

function find(root, text) {
  return everyElement(root).find((n) => n.text === text);
}

// What the shopper points at, on which page, and the selector that finds it on the shop's other pages.
const PICKS = [
  {
    story: 'a price with an id of its own is found by that id',
    page: () => page(h('div', { class: 'buy-box' }, h('span', { id: 'product-price', class: 'price' }, '€ 99,00'))),
    pick: '€ 99,00',
    selector: '#product-price',
  },
  {
    story: 'an id with the product number in it is passed over for the element\'s class',
    page: () => page(h('div', {}, h('span', { id: 'price-8812731', class: 'price-now' }, '€ 99,00'))),
    pick: '€ 99,00',
    selector: 'span.price-now',
  },
  {
    story: 'a class shared with the struck-through price is told apart by its box',
    page: () => page(
      h('div', { class: 'price-was' }, h('span', { class: 'amount' }, '€ 129,00')),
      h('div', { class: 'price-now' }, h('span', { class: 'amount' }, '€ 99,00')),
    ),
    pick: '€ 99,00',
    selector: 'div.price-now span.amount',
  },
  {
    story: 'the rarer of two classes names the element',
    page: () => page(
      h('span', { class: 'label' }, 'Price'),
      h('span', { class: 'label sale' }, '€ 99,00'),
    ),
    pick: '€ 99,00',
    selector: 'span.sale',
  },
  {
    story: 'generated names (css-in-js, hashes, state) are passed over: the structure names the element',
    page: () => page(
      h('div', { class: 'css-1q2w3e' },
        h('span', { class: 'sc-bdVaJa' }, '€ 129,00'),
        h('span', { class: 'Price_value__3Kx9a is-active' }, '€ 99,00'))),
    pick: '€ 99,00',
    selector: 'html > body > div > span:nth-of-type(2)',
  },
  {
    story: 'the structure starts at the nearest box with a stable id',
    page: () => page(
      h('main', { id: 'product' },
        h('p', {}, 'Brava Kettle'),
        h('p', {}, h('b', {}, '€ 129,00'), h('b', {}, '€ 99,00')))),
    pick: '€ 99,00',
    selector: '#product > p:nth-of-type(2) > b:nth-of-type(2)',
  },
];

for (const { story, page: build, pick, selector } of PICKS) {
  test(`picking: ${story}`, () => {
    const root = build();
    const chosen = find(root, pick);
    const built = buildSelector(chosen, root);
    assert.equal(built, selector);
    assert.deepEqual(select(root, built), [chosen], 'the selector matches exactly the chosen element');
    assert.ok(!built.includes(pick.replace(/\D/g, '').slice(0, 2)), 'the text is never part of it');
  });
}

test('on any element of a busy page, the selector matches that element and no other', () => {
  const root = page(
    h('header', { class: 'site-header' }, h('a', { class: 'logo' }, 'Shop'), h('nav', {}, h('a', {}, 'A'), h('a', {}, 'B'))),
    h('main', {},
      h('div', { class: 'product css-9x8y7z' },
        h('h1', { class: 'title' }, 'Kettle'),
        h('div', { class: 'prices' }, h('s', { class: 'amount' }, '129'), h('strong', { class: 'amount' }, '99')),
        h('ul', { class: 'reviews' }, h('li', { class: 'review' }, 'good'), h('li', { class: 'review' }, 'bad'))),
      h('div', { class: 'product css-9x8y7z' }, h('div', { class: 'prices' }, h('span', { class: 'amount' }, '79')))),
    h('footer', {}, h('p', {}, '©')),
  );
  for (const node of everyElement(root)) {
    const built = buildSelector(node, root);
    assert.deepEqual(select(root, built), [node], built);
  }
});

test('the same selector finds the price on the shop\'s next product page', () => {
  const first = page(h('div', { class: 'offer' }, h('s', { class: 'list' }, '€ 129,00'), h('b', { class: 'now' }, '€ 99,00')));
  const second = page(h('div', { class: 'offer' }, h('s', { class: 'list' }, '€ 59,00'), h('b', { class: 'now' }, '€ 49,00')));
  const built = buildSelector(find(first, '€ 99,00'), first);
  assert.deepEqual(select(second, built), [find(second, '€ 49,00')]);
});

const NAMES = {
  stable: ['price', 'product-price', 'price__value', 'buy-box', 'col-md-6', 'h2', 'priceBlock', 'a-price-whole'],
  generated: [
    'css-1q2w3e', 'sc-bdVaJa', 'Price_value__3Kx9a', 'jsx-2893742', 'svelte-xyz12', 'offer-123456', 'a1b2c3d4',
    'is-active', 'selected', 'js-price', 'md:text-lg', 'w-1/2', '', 'kXmTnQ', '_3ax9Q',
  ],
};

test('names a person chose are stable; hashes, css-in-js, numbers and states are not', () => {
  for (const name of NAMES.stable) assert.equal(isStableName(name), true, name);
  for (const name of NAMES.generated) assert.equal(isStableName(name), false, name);
});
