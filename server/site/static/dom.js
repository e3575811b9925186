// Building the page from data the shop, the shopper or a search result wrote: every text goes in with
// textContent and every attribute with setAttribute, so none of it is ever read as markup.

const SVG = "http://www.w3.org/2000/svg";

// An HTML element with attributes and children (strings become text nodes).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  return fill(node, attrs, children);
}

// An SVG element, the same way.
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

function fill(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A link to a page a briefing names, only if it is an http(s) address (never javascript: or data:);
// else its text alone.
export function link(url, text) {
  const label = text || url || "";
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    return document.createTextNode(label);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return document.createTextNode(label);
  return el("a", { href: parsed.href, rel: "noopener noreferrer", target: "_blank" }, label);
}

// Replace what `node` shows.
export function show(node, ...children) {
  node.replaceChildren();
  fill(node, {}, children);
  return node;
}

export function when(seconds) {
  if (typeof seconds !== "number") return "";
  return new Date(seconds * 1000).toLocaleString();
}

export function money(amount, currency) {
  const value = Number(amount);
  if (!Number.isFinite(value)) return String(amount ?? "");
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency ?? ""}`.trim();
  }
}
