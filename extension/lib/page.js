/** From a captured page to the body of POST /v1/briefings, within the server's body limit. */

/**
 * The most bytes the html may take in the request body, as JSON writes it (escapes included, the two
 * quotes around it not). The server takes a body of this much html plus 64 KiB for the rest, so what is
 * measured is what is sent: a page of quotes and backslashes doubles in size once escaped.
 */
export const MAX_HTML_BYTES = 5 * 1024 * 1024;

// JSON.stringify writes these control characters as two-character escapes (\b \t \n \f \r), the others
// below U+0020 as \u00XX.
const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/**
 * How far text fits in maxBytes once written as a JSON string: {end, bytes}, end being the number of
 * UTF-16 units kept (never half of a surrogate pair) and bytes their UTF-8 size inside JSON.stringify's quotes.
 */
export function jsonPrefix(text, maxBytes = Infinity) {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    let size;
    let units = 1;
    if (code < 0x20) size = SHORT_ESCAPES.has(code) ? 2 : 6;
    else if (code === 0x22 || code === 0x5c) size = 2; // \" and \\
    else if (code < 0x80) size = 1;
    else if (code < 0x800) size = 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      size = 4;
      units = 2;
    } else if (code >= 0xd800 && code <= 0xdfff) size = 6; // a lone surrogate is written as \uXXXX
    else size = 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += units;
  }
  return { end: i, bytes };
}

/** The UTF-8 size of text written as a JSON string, without its quotes. */
export function jsonLength(text) {
  return jsonPrefix(text).bytes;
}

/** The longest prefix of text whose JSON string form fits in maxBytes, cut between characters. */
export function capJson(text, maxBytes) {
  // No character takes more than 6 bytes escaped: short texts fit without measuring.
  if (text.length * 6 <= maxBytes) return text;
  return text.slice(0, jsonPrefix(text, maxBytes).end);
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

/**
 * The briefing request for a capture {url, canonical, lang, jsonld, html}: {url, html, locale}. The locale is
 * the shopper's: the language chosen in the options, else the browser's; the page's own only without either
 * (the server says everything in it, so it must be the language the popup speaks).
 */
export function briefingRequest(capture, { uiLanguage = '', language = 'auto', maxBytes = MAX_HTML_BYTES } = {}) {
  let html = capture.html || '';
  if (jsonLength(html) > maxBytes) {
    // The head is kept; JSON-LD from anywhere in the page goes first so the product is still found.
    const structured = jsonLdScripts(capture.jsonld);
    const room = Math.max(0, maxBytes - jsonLength(structured) - jsonLength('\n'));
    html = capJson(`${structured}\n${capJson(html, room)}`, maxBytes);
  }
  const body = { url: capture.url, html };
  const locale = (language && language !== 'auto' ? language : uiLanguage) || capture.lang;
  if (locale) body.locale = locale;
  return body;
}

function isLowSurrogate(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}
