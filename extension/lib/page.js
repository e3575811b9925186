/** From a captured page to the body of POST /v1/briefings, within the server's 5 MB limit. */

/** The server refuses HTML over this many UTF-8 bytes. */
export const MAX_HTML_BYTES = 5 * 1024 * 1024;

/** The longest prefix of text that fits in maxBytes of UTF-8, never splitting a character. */
export function capUtf8(text, maxBytes) {
  // Each UTF-16 unit is at most 3 UTF-8 bytes: short texts fit without encoding.
  if (text.length * 3 <= maxBytes) return text;
  const buffer = new Uint8Array(maxBytes);
  const { read } = new TextEncoder().encodeInto(text, buffer);
  return text.slice(0, read);
}

/** The UTF-8 size of a text in bytes. */
export function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

/** JSON-LD blocks as script elements, so a cut page still carries its structured data. */
export function jsonLdScripts(blocks) {
  // The text came out of script elements, so it cannot close one; no escaping is needed or wanted.
  return (blocks || []).map((block) => `<script type="application/ld+json">${block}</script>`).join('\n');
}

/** The briefing request for a capture {url, canonical, lang, jsonld, html}: {url, html, locale}. */
export function briefingRequest(capture, { uiLanguage = '', maxBytes = MAX_HTML_BYTES } = {}) {
  let html = capture.html || '';
  if (utf8Length(html) > maxBytes) {
    // The head is kept; JSON-LD from anywhere in the page goes first so the product is still found.
    const structured = jsonLdScripts(capture.jsonld);
    const room = Math.max(0, maxBytes - utf8Length(structured) - 1);
    html = capUtf8(`${structured}\n${capUtf8(html, room)}`, maxBytes);
  }
  const body = { url: capture.url, html };
  const locale = capture.lang || uiLanguage;
  if (locale) body.locale = locale;
  return body;
}
