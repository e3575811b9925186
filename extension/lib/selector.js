/**
 * The CSS selector of an element a shopper pointed at, robust enough to find the same element on the shop's
 * other pages: a stable id first, then stable classes (the element's own, or inside a stable box), then the
 * structure (tags with :nth-of-type). Never the element's text, which changes from page to page. Names that
 * look generated (hashes, css-in-js, page-specific numbers, state classes) are passed over: they change with
 * each build or page. The server reads the selector with lxml's cssselect, so only plain idents are used.
 *
 * A classic script, not a module: chrome.scripting injects scripts, so the picker finds these functions on
 * globalThis.zmotSelector (in the content script's own world, never the page's), as node's tests do.
 * Elements are read through tagName, id, getAttribute('class'), parentElement and children only.
 */
(() => {
  const IDENT = /^-?[A-Za-z_][A-Za-z0-9_-]*$/;
  // Classes that say what state an element is in (hovered, open…), not what it is.
  const STATE = /^(?:is|has|js)-|^(?:active|current|selected|hover|hovered|focus|focused|open|opened|visible|hidden|show|shown|loaded|loading|animated)$/i;
  // Prefixes of names that frameworks generate per build (css-in-js, scoped styles).
  const GENERATED = /^(?:css|jsx|sc|emotion|styled|tw|svelte|astro|ng|ember|data-v|chakra-c)-|^_/i;
  const MAX_ANCESTORS = 4;

  /** Whether an id or class name looks chosen by a person, so it will be there on the next page too. */
  function isStableName(name) {
    if (typeof name !== 'string' || !IDENT.test(name) || name.length > 48) return false;
    if (STATE.test(name) || GENERATED.test(name)) return false;
    const digits = (name.match(/\d/g) || []).length;
    if (/\d{3,}/.test(name) || (name.length >= 5 && digits / name.length > 0.3)) return false; // an id of one product or a hash
    return name.split(/[-_]+/).every((part) => !looksHashed(part));
  }

  /** A part of a name that reads as a hash: letters and digits mixed, or random-looking capitals. */
  function looksHashed(part) {
    if (part.length >= 5 && /\d/.test(part) && /[A-Za-z]/.test(part)) return true;
    const humps = (part.match(/[a-z][A-Z]/g) || []).length;
    return part.length <= 8 && humps >= 2;
  }

  const tagOf = (node) => String(node.tagName || '').toLowerCase();
  const classesOf = (node) => String((node.getAttribute && node.getAttribute('class')) || '').split(/\s+/).filter(Boolean);
  const childrenOf = (node) => Array.from(node.children || []);

  /** Every element of the tree under root, root included, in document order. */
  function elementsOf(root) {
    const out = [];
    const walk = (node) => {
      out.push(node);
      for (const child of childrenOf(node)) walk(child);
    };
    walk(root);
    return out;
  }

  /** The 1-based place of a node among its parent's children of the same tag, and how many there are. */
  function placeOf(node) {
    const parent = node.parentElement;
    if (!parent) return { index: 1, count: 1 };
    const same = childrenOf(parent).filter((c) => tagOf(c) === tagOf(node));
    return { index: same.indexOf(node) + 1, count: same.length };
  }

  /** "tag#id.a.b:nth-of-type(2)" read back into its parts. */
  function parseCompound(text) {
    const match = /^([a-z][a-z0-9-]*)?((?:[#.]-?[A-Za-z_][A-Za-z0-9_-]*)*)(?::nth-of-type\((\d+)\))?$/i.exec(text);
    if (!match) throw new Error(`not a selector this module writes: ${text}`);
    const names = match[2].match(/[#.][^#.]+/g) || [];
    return {
      tag: match[1] ? match[1].toLowerCase() : null,
      id: (names.find((n) => n[0] === '#') || '').slice(1) || null,
      classes: names.filter((n) => n[0] === '.').map((n) => n.slice(1)),
      nth: match[3] ? Number(match[3]) : null,
    };
  }

  function matchesCompound(node, c) {
    if (c.tag && tagOf(node) !== c.tag) return false;
    if (c.id && node.id !== c.id) return false;
    const classes = classesOf(node);
    if (!c.classes.every((name) => classes.includes(name))) return false;
    return c.nth === null || placeOf(node).index === c.nth;
  }

  /** Whether node matches steps[0..i] read right to left (" " any ancestor, ">" the parent). */
  function matchesAt(node, steps, i) {
    if (!matchesCompound(node, steps[i].compound)) return false;
    if (i === 0) return true;
    let up = node.parentElement;
    if (steps[i].child) return Boolean(up) && matchesAt(up, steps, i - 1);
    for (; up; up = up.parentElement) if (matchesAt(up, steps, i - 1)) return true;
    return false;
  }

  /** The elements under root that a selector written by this module matches (the grammar it writes only). */
  function select(root, selector) {
    const steps = [];
    let child = false;
    for (const token of String(selector).trim().split(/\s+/)) {
      if (token === '>') child = true;
      else {
        steps.push({ compound: parseCompound(token), child });
        child = false;
      }
    }
    if (!steps.length) return [];
    return elementsOf(root).filter((node) => matchesAt(node, steps, steps.length - 1));
  }

  /** The stable names of a node's classes, the rarest on the page first. */
  function stableClasses(node, counts) {
    return classesOf(node).filter(isStableName).sort((a, b) => (counts.get(a) || 0) - (counts.get(b) || 0));
  }

  /** Ways to name a node by itself, the most telling first: its id, then one or two of its classes. */
  function ownNames(node, counts) {
    const tag = tagOf(node);
    const names = [];
    if (isStableName(node.id)) names.push(`#${node.id}`);
    const classes = stableClasses(node, counts);
    for (const name of classes) names.push(`${tag}.${name}`);
    if (classes.length >= 2) names.push(`${tag}.${classes[0]}.${classes[1]}`);
    return names;
  }

  /** The path of tags from an anchor (an ancestor with a stable id) or the root down to the node. */
  function structuralPath(target, root, unique) {
    const steps = [];
    for (let node = target; node; node = node.parentElement) {
      if (node !== target && isStableName(node.id) && unique(`#${node.id}`, node)) {
        steps.unshift(`#${node.id}`);
        break;
      }
      const { index, count } = placeOf(node);
      steps.unshift(count > 1 ? `${tagOf(node)}:nth-of-type(${index})` : tagOf(node));
      if (node === root) break;
    }
    return steps.join(' > ');
  }

  /**
   * A selector that matches exactly `target` under `root` (the page's <html>): `#id`, `tag.class`,
   * `box-selector tag.class` (a stable ancestor up to four levels up), else a path of tags with
   * :nth-of-type where a tag has siblings of its kind.
   */
  function buildSelector(target, root) {
    const all = elementsOf(root);
    const counts = new Map();
    for (const node of all) for (const name of classesOf(node)) counts.set(name, (counts.get(name) || 0) + 1);
    const unique = (selector, node = target) => {
      const found = select(root, selector);
      return found.length === 1 && found[0] === node;
    };
    const own = ownNames(target, counts);
    for (const name of own) if (unique(name)) return name;
    const tails = [...own.filter((n) => n[0] !== '#'), tagOf(target)];
    let up = target.parentElement;
    for (let depth = 0; up && depth < MAX_ANCESTORS; depth += 1, up = up.parentElement) {
      for (const box of ownNames(up, counts)) {
        for (const tail of tails) if (unique(`${box} ${tail}`)) return `${box} ${tail}`;
      }
    }
    return structuralPath(target, root, unique);
  }

  globalThis.zmotSelector = Object.freeze({ buildSelector, select, isStableName });
})();
