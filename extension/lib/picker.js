/**
 * The picker, injected into the shopper's tab when they say "Not the right price?" (or the reviews are
 * missed): it outlines the element under the pointer, a click chooses it, Escape leaves. From the keyboard,
 * the arrow keys move the outline (up: the enclosing element, down: the first one inside, left/right: the
 * neighbours), Tab and Shift+Tab go to the next and previous element of the page, Enter chooses.
 *
 * The outline is an overlay of zmot's own (in a closed shadow root, styled through the CSSOM so no page CSS
 * or CSP gets in the way): the page's elements are never restyled, and the page's own handlers never see the
 * clicks and keys the picker takes. The choice goes to the background as {field, url, selector, value}.
 *
 * A classic script, run after lib/selector.js and after globalThis.zmotPickerConfig was set to
 * {field, hint, cannot}: the field picked for and the instruction lines in the shopper's language.
 */
(() => {
  const config = globalThis.zmotPickerConfig || {};
  const MAX_VALUE = 2000;
  const TOP = 2147483647;
  if (globalThis.zmotPicker) globalThis.zmotPicker.stop(); // picked again: one picker at a time

  const host = document.createElement('zmot-picker');
  const shadow = host.attachShadow({ mode: 'closed' });
  const box = document.createElement('div');
  const bar = document.createElement('div');
  const hint = document.createElement('div');
  const current = document.createElement('div');
  styled(host, { position: 'fixed', inset: '0', 'pointer-events': 'none', 'z-index': String(TOP), display: 'block', margin: '0', padding: '0', border: '0', background: 'transparent' });
  styled(box, {
    position: 'fixed', 'pointer-events': 'none', 'box-sizing': 'border-box', display: 'none',
    outline: '3px solid #1a56db', 'outline-offset': '1px', 'box-shadow': '0 0 0 5px #ffffff, inset 0 0 0 9999px rgba(26, 86, 219, 0.12)',
    'border-radius': '2px',
  });
  styled(bar, {
    position: 'fixed', left: '8px', right: '8px', top: '8px', 'pointer-events': 'none', padding: '8px 12px',
    background: '#111827', color: '#ffffff', font: '14px/1.4 system-ui, sans-serif', 'border-radius': '6px',
    'box-shadow': '0 2px 8px rgba(0, 0, 0, 0.4)', 'text-align': 'left', 'white-space': 'normal',
  });
  styled(current, { opacity: '0.85', 'margin-top': '2px', overflow: 'hidden', 'text-overflow': 'ellipsis', 'white-space': 'nowrap' });
  hint.textContent = String(config.hint || '');
  bar.setAttribute('role', 'status');
  bar.setAttribute('aria-live', 'polite');
  bar.append(hint, current);
  shadow.append(box, bar);
  document.documentElement.append(host);

  let chosen = null; // the element outlined now

  /** Outline an element of the page and say what it holds. */
  function highlight(node, scroll = false) {
    if (!node || node === host || node.nodeType !== 1) return;
    chosen = node;
    if (scroll) node.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    draw();
    current.textContent = visibleText(node).slice(0, 120);
  }

  function draw() {
    if (!chosen || !chosen.isConnected) return;
    const rect = chosen.getBoundingClientRect();
    styled(box, { display: 'block', left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
    // The instruction moves to the bottom when it would cover what is outlined.
    const covers = rect.top < bar.offsetHeight + 16;
    styled(bar, covers ? { top: 'auto', bottom: '8px' } : { top: '8px', bottom: 'auto' });
  }

  /** Send the outlined element's selector and text to the background, and leave. */
  function choose(node) {
    if (!node || node === host) return;
    const selector = globalThis.zmotSelector.buildSelector(node, document.documentElement);
    const found = document.querySelectorAll(selector);
    if (found.length !== 1 || found[0] !== node) {
      current.textContent = String(config.cannot || '');
      return;
    }
    const value = visibleText(node).slice(0, MAX_VALUE);
    stop();
    chrome.runtime.sendMessage({ type: 'correction-pick', field: config.field, url: location.href, selector, value }).catch(() => {});
  }

  /** The element a key moves the outline to, or null to stay. */
  function moved(key, shift) {
    const node = chosen || document.body;
    switch (key) {
      case 'ArrowUp': return node.parentElement && node.parentElement !== document.documentElement ? node.parentElement : null;
      case 'ArrowDown': return visibleChild(node);
      case 'ArrowLeft': return sibling(node, 'previousElementSibling');
      case 'ArrowRight': return sibling(node, 'nextElementSibling');
      case 'Tab': return inOrder(node, shift ? -1 : 1);
      default: return null;
    }
  }

  // Only the shopper's own input counts: a page script's synthetic events (isTrusted false) choose nothing.
  function onKey(event) {
    if (!event.isTrusted) return swallow(event);
    if (event.key === 'Escape') stop();
    else if (event.key === 'Enter') choose(chosen);
    else {
      const next = moved(event.key, event.shiftKey);
      if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Tab'].includes(event.key)) return;
      if (next) highlight(next, true);
    }
    swallow(event);
  }

  function onMove(event) {
    if (event.isTrusted && event.target !== host) highlight(event.target);
  }

  function onClick(event) {
    swallow(event);
    if (event.isTrusted && event.target !== host) choose(event.target);
  }

  const LISTENERS = [
    ['mousemove', onMove], ['click', onClick], ['keydown', onKey],
    ['mousedown', swallow], ['mouseup', swallow], ['pointerdown', swallow], ['pointerup', swallow],
    ['auxclick', swallow], ['dblclick', swallow], ['keyup', swallow], ['keypress', swallow],
    ['scroll', draw], ['resize', draw],
  ];
  for (const [type, listener] of LISTENERS) window.addEventListener(type, listener, true);

  function stop() {
    for (const [type, listener] of LISTENERS) window.removeEventListener(type, listener, true);
    host.remove();
    if (globalThis.zmotPicker === picker) globalThis.zmotPicker = null;
  }

  const picker = { stop };
  globalThis.zmotPicker = picker;
  // From the keyboard the outline starts where the shopper is: the focused element, or mid-screen.
  const focused = document.activeElement;
  highlight(focused && focused !== document.body ? focused : document.elementFromPoint(innerWidth / 2, innerHeight / 2) || document.body);

  function swallow(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  function styled(node, properties) {
    for (const [name, value] of Object.entries(properties)) node.style.setProperty(name, value, 'important');
  }

  function visibleText(node) {
    return String(node.innerText ?? node.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  function isShown(node) {
    const rect = node.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0 && node !== host;
  }

  function visibleChild(node) {
    return Array.from(node.children).find(isShown) || null;
  }

  function sibling(node, direction) {
    for (let next = node[direction]; next; next = next[direction]) if (isShown(next)) return next;
    return null;
  }

  /** The next (or previous) shown element of the page in document order. */
  function inOrder(node, step) {
    const all = Array.from(document.body.querySelectorAll('*')).filter((n) => n !== host);
    for (let i = all.indexOf(node) + step; i >= 0 && i < all.length; i += step) if (isShown(all[i])) return all[i];
    return null;
  }
})();
