/** Interface text from _locales, in the language the shopper chose (chrome.i18n only knows the browser's). */

/** The language to use: the setting, or for "auto" the browser's when zmot speaks it, else English. */
export function pickLanguage(setting, uiLanguage, available = ['en', 'it', 'fr']) {
  if (setting && setting !== 'auto' && available.includes(setting)) return setting;
  const base = String(uiLanguage || '').toLowerCase().split(/[-_]/)[0];
  return available.includes(base) ? base : 'en';
}

/** A message from a messages.json object with $1..$9 filled in; falls back to English, then to the key. */
export function translate(messages, fallback, key, substitutions = []) {
  const entry = (messages && messages[key]) || (fallback && fallback[key]);
  if (!entry || typeof entry.message !== 'string') return key;
  const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
  let text = entry.message;
  // Named placeholders ($count$) point at $1..$9 through the entry's "placeholders".
  for (const [name, spec] of Object.entries(entry.placeholders || {})) {
    text = text.split(`$${name}$`).join(spec.content);
  }
  return text.replace(/\$(\d)/g, (_, n) => String(subs[Number(n) - 1] ?? '')).replace(/\$\$/g, '$');
}

/** The raw text of a message (placeholders unfilled), in the language or else English; null if none. */
export function messageOf(messages, fallback, key) {
  const entry = (messages && messages[key]) || (fallback && fallback[key]);
  return entry && typeof entry.message === 'string' ? entry.message : null;
}

/** A message, or `otherwise` when there is none (names the server sends that may have no label yet). */
export function labelOr(t, key, otherwise) {
  return typeof t.has === 'function' && t.has(key) ? t(key) : String(otherwise ?? '');
}

/** A translator t(key, subs) for a language, loading messages through loadJson(path). */
export async function makeTranslator(language, loadJson) {
  const fallback = await loadJson('_locales/en/messages.json');
  const messages = language === 'en' ? fallback : await loadJson(`_locales/${language}/messages.json`);
  const t = (key, substitutions) => translate(messages, fallback, key, substitutions);
  t.language = language;
  t.has = (key) => Boolean(messageOf(messages, fallback, key));
  t.template = (key) => messageOf(messages, fallback, key);
  return t;
}
