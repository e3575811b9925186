/**
 * The briefing's sentences from their codes, in the popup's own words. The server sends each sentence it
 * composes twice: in words (in the language of the request) and as a code {code, values}, values kept
 * machine-readable (a share 0.23, a rating 4.3, an amount "99.00"). Rendering the code with the extension's
 * _locales ("say_" + code) keeps the popup in one language even when the briefing was made in another;
 * a code the extension does not know (a newer server) gives null, and the server's words are shown.
 * The rules mirror server/i18n: a value may be a code or a list of codes; quotes are plain strings.
 */

import { amount, decimal, percent } from './format.js';

// How a list value is joined (the sentences of a price reason, the reasons of a summary), and which lists
// are read after a colon, where zmot's own words start lower-case.
const JOINERS = { reason: '. ', reasons: '; ' };
const LOWERED = new Set(['reasons']);
const SHARES = new Set(['share']);
const STARS = new Set(['rating', 'typical']);
const AMOUNTS = new Set(['amount', 'save', 'usual']);
const PLACEHOLDER = /\$(\w+)\$/g;

/** The template of a code in the translator's messages, or null when the extension has none. */
function template(t, key) {
  return typeof t.template === 'function' ? t.template(`say_${key}`) : null;
}

/** A sentence {code, values} (or a plain string, returned as written) in words; null for an unknown code. */
export function sayCode(text, { t, locale }) {
  if (typeof text === 'string') return text;
  if (!text || typeof text !== 'object' || typeof text.code !== 'string') return null;
  const words = template(t, text.code);
  if (words === null) return null;
  const values = text.values && typeof text.values === 'object' ? text.values : {};
  let unknown = false;
  const out = words.replace(PLACEHOLDER, (_, name) => {
    const value = sayValue(name, values[name], { t, locale });
    if (value === null) unknown = true;
    return value ?? '';
  });
  return unknown ? null : out.replace(/\$\$/g, '$');
}

/** Sentences joined as the server joins a reason: each closed by a full stop. Null if any is unknown. */
export function saySentences(texts, ctx) {
  if (!Array.isArray(texts) || !texts.length) return null;
  const said = texts.map((text) => sayCode(text, ctx));
  return said.includes(null) ? null : said.map((s) => `${s}.`).join(' ');
}

/** True when a sentence opens with zmot's own words rather than with a value (a seller, a quote). */
export function opensWithWords(text, t) {
  if (!text || typeof text !== 'object') return false;
  const words = template(t, text.code);
  if (words === null) return false;
  const first = /^\$(\w+)\$/.exec(words);
  if (!first) return true;
  let value = (text.values || {})[first[1]];
  if (Array.isArray(value)) value = value[0];
  return Boolean(value) && typeof value === 'object' && opensWithWords(value, t);
}

function sayValue(name, value, ctx) {
  if (Array.isArray(value)) {
    const parts = value.map((v) => {
      const said = sayCode(v, ctx);
      if (said === null || !LOWERED.has(name) || !opensWithWords(v, ctx.t)) return said;
      return said.charAt(0).toLowerCase() + said.slice(1);
    });
    return parts.includes(null) ? null : parts.join(JOINERS[name] ?? ', ');
  }
  if (value && typeof value === 'object') return sayCode(value, ctx);
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (SHARES.has(name) && typeof value === 'number') return percent(value, ctx.locale);
  if (STARS.has(name) && typeof value === 'number') return decimal(value, 1, ctx.locale);
  if (AMOUNTS.has(name) && amount(value) !== null) return decimal(value, 2, ctx.locale);
  return String(value);
}
