import assert from 'node:assert/strict';
import { test } from 'node:test';

import { el, fill, link, svg } from '../../extension/lib/dom.js';

/** Just enough of a document to see what dom.js builds: no HTML parser, so markup stays text. */
class FakeNode {
  constructor(tag, ns = null) {
    this.tag = tag;
    this.ns = ns;
    this.attributes = {};
    this.children = [];
    this.textContent = '';
  }
  setAttribute(name, value) { this.attributes[name] = value; }
  append(...nodes) { this.children.push(...nodes); }
  replaceChildren(...nodes) { this.children = nodes; }
}
globalThis.document = {
  createElement: (tag) => new FakeNode(tag),
  createElementNS: (ns, tag) => new FakeNode(tag, ns),
};

test('text goes to textContent, markup included, and other props are attributes', () => {
  const node = el('p', { class: 'x', text: '<img src=x onerror=alert(1)>', hidden: true, skipped: null }, 'a', 3, null, [el('b')]);
  assert.equal(node.textContent, '<img src=x onerror=alert(1)>');
  assert.deepEqual(node.attributes, { class: 'x', hidden: '' });
  assert.deepEqual(node.children.slice(0, 2), ['a', '3']);
  assert.equal(node.children[2].tag, 'b');
});

test('nested arrays of children are flattened', () => {
  const node = el('div', {}, [[el('i'), [el('u')]], 'z']);
  assert.deepEqual(node.children.map((c) => c.tag || c), ['i', 'u', 'z']);
});

test('links open apart, without opener or referrer, and only for http(s)', () => {
  const a = link('https://shop.test/p', 'shop');
  assert.equal(a.tag, 'a');
  assert.deepEqual(a.attributes, { href: 'https://shop.test/p', target: '_blank', rel: 'noopener noreferrer' });
  const notLink = link('javascript:alert(1)', 'click me');
  assert.equal(notLink.tag, 'span');
  assert.equal(notLink.textContent, 'click me');
  assert.equal(notLink.attributes.href, undefined);
});

test('svg elements are made in the SVG namespace; fill replaces children', () => {
  assert.equal(svg('circle', { r: 2 }).ns, 'http://www.w3.org/2000/svg');
  const parent = el('div', {}, 'old');
  fill(parent, [el('p'), null, false]);
  assert.deepEqual(parent.children.map((c) => c.tag), ['p']);
});
