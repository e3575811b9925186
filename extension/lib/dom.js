/** Building DOM safely: createElement, textContent and attribute setters only (never HTML strings). */

import { safeHref } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * An element with attributes and children: el('p', {class: 'x', text: 'hello'}, child, 'text').
 * `text` sets textContent; every other key is an attribute; strings among children become text nodes.
 */
export function el(tag, props = {}, ...children) {
  return build(globalThis.document.createElement(tag), props, children);
}

/** An SVG element, built like el(). */
export function svg(tag, props = {}, ...children) {
  return build(globalThis.document.createElementNS(SVG_NS, tag), props, children);
}

/** A link that opens apart from the extension, or plain text when the address is not http(s). */
export function link(href, text, props = {}) {
  const target = safeHref(href);
  if (!target) return el('span', { ...props, text });
  return el('a', { ...props, href: target, target: '_blank', rel: 'noopener noreferrer', text });
}

/** Replace an element's children. */
export function fill(parent, ...children) {
  parent.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return parent;
}

function build(node, props, children) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}
