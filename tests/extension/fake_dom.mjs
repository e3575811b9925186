/**
 * Just enough of a document for the renderers: elements with attributes, children, text and listeners, and
 * form controls whose value and checked state start from their attributes, as in a browser. No HTML parser,
 * so markup stays text.
 */

export class FakeNode {
  constructor(tag) {
    this.tag = tag;
    this.attributes = {};
    this.children = [];
    this.textContent = '';
    this.listeners = {};
    this.hidden = false;
  }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return this.attributes[name] ?? null; }
  append(...nodes) { this.children.push(...nodes); }
  replaceChildren(...nodes) { this.children = nodes; }
  addEventListener(type, listener) { (this.listeners[type] ||= []).push(listener); }
  get value() { return this._value ?? this.attributes.value ?? ''; }
  set value(v) { this._value = String(v); }
  get checked() { return this._checked ?? 'checked' in this.attributes; }
  set checked(v) { this._checked = Boolean(v); }

  /** Run this node's listeners for an event, as a click or a submit would. */
  fire(type) {
    const event = { type, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    for (const listener of this.listeners[type] || []) listener(event);
    return event;
  }

  /** Every element below this one (depth first) that matches a test. */
  findAll(test) {
    const out = [];
    for (const child of this.children) {
      if (!(child instanceof FakeNode)) continue;
      if (test(child)) out.push(child);
      out.push(...child.findAll(test));
    }
    return out;
  }

  find(test) { return this.findAll(test)[0] ?? null; }

  /** The text a reader would see: own text and the text of every child, in order. */
  get text() {
    return [this.textContent, ...this.children.map((c) => (c instanceof FakeNode ? c.text : String(c)))].join('');
  }
}

/** Install the fake as globalThis.document. */
export function installFakeDom() {
  globalThis.document = {
    createElement: (tag) => new FakeNode(tag),
    createElementNS: (ns, tag) => new FakeNode(tag),
  };
}

/** An element with a data-action attribute. */
export const byAction = (action) => (n) => n.attributes['data-action'] === action;
