/** The extension's settings (in chrome.storage.local): defaults, validation and the server's origin. */

/** What a fresh install uses. `token` is the pairing code `zmot serve` prints, sent as a bearer token. */
export const DEFAULTS = Object.freeze({ serverUrl: 'http://127.0.0.1:8750', token: '', language: 'auto' });

/** Languages the interface speaks; "auto" follows the browser. */
export const LANGUAGES = ['auto', 'en', 'it', 'fr'];

/** Stored values merged over the defaults, with anything invalid replaced by its default. */
export function withDefaults(stored) {
  const s = stored || {};
  return {
    serverUrl: normalizeServerUrl(s.serverUrl) || DEFAULTS.serverUrl,
    token: typeof s.token === 'string' ? s.token.trim() : DEFAULTS.token,
    language: LANGUAGES.includes(s.language) ? s.language : DEFAULTS.language,
  };
}

/** The server address without a trailing slash, or null when it is not an http(s) URL. */
export function normalizeServerUrl(input) {
  if (typeof input !== 'string' || !input.trim()) return null;
  let parsed;
  try {
    parsed = new URL(input.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return null;
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** The host-permission pattern for a server address, such as "http://127.0.0.1/*" (ports are not part of it). */
export function originPattern(serverUrl) {
  const parsed = new URL(serverUrl);
  return `${parsed.protocol}//${parsed.hostname}/*`;
}

/** The absolute address of an API path on the server. */
export function apiUrl(serverUrl, path) {
  return `${serverUrl}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Request headers for the API: JSON, and the pairing code as a bearer token when one is set. */
export function apiHeaders(token, json = false) {
  const headers = { Accept: json ? 'application/json' : 'text/event-stream' };
  if (json) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}
