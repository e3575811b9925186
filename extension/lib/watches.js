/**
 * Watching a product's page: the watch API calls (POST/PATCH/DELETE/GET /v1/watch) and the pure helpers the
 * popup and the options page share (the rule a form describes, the watch of a page, how a rule reads).
 */

import { failureOf } from './briefing.js';
import { amount, money } from './format.js';
import { apiHeaders, apiUrl } from './settings.js';

/** The rules a shopper can ask for, in the order the form shows them. */
export const RULES = ['below', 'drop', 'back_in_stock'];
/** Every rule the server knows ("lowest" is set through the API only; a change of rule keeps it). */
export const ALL_RULES = ['below', 'drop', 'lowest', 'back_in_stock'];
/** What a new watch notifies on when the shopper changes nothing. */
export const DEFAULT_RULES = ['drop', 'back_in_stock'];

/**
 * One call of the watch API: {ok, status, data} or {ok: false, error: {kind, detail}} (kinds as a briefing's
 * failures, so the same words explain them). fetchFn stands in for fetch in tests.
 */
export async function watchCall(settings, fetchFn, method, path, body) {
  let response;
  try {
    response = await fetchFn(apiUrl(settings.serverUrl, path), {
      method,
      headers: apiHeaders(settings.token, true),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { kind: 'unreachable', detail: settings.serverUrl } };
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) return { ok: false, status: response.status, error: failureOf(response.status, data, { paired: Boolean(settings.token) }) };
  return { ok: true, status: response.status, data };
}

/** Every watch of this client, oldest first. */
export async function listWatches(settings, fetchFn) {
  const answer = await watchCall(settings, fetchFn, 'GET', '/v1/watch');
  if (answer.ok) answer.watches = Array.isArray(answer.data && answer.data.watches) ? answer.data.watches : [];
  return answer;
}

/** Watch a page of a product with a rule ({target_price, notify_on}); answers the watch as data. */
export function createWatch(settings, fetchFn, { productId, url, name, locale }, rule) {
  const body = { product_id: productId, url, ...rule };
  if (name) body.name = name;
  if (locale) body.locale = locale;
  return watchCall(settings, fetchFn, 'POST', '/v1/watch', body);
}

/** Change a watch's rule. */
export function changeWatch(settings, fetchFn, watch, rule) {
  return watchCall(settings, fetchFn, 'PATCH', watchPath(watch), rule);
}

/** Stop watching one page of a product (the other pages of it stay watched). */
export function stopWatch(settings, fetchFn, watch) {
  return watchCall(settings, fetchFn, 'DELETE', watchPath(watch));
}

function watchPath(watch) {
  return `/v1/watch/${encodeURIComponent(watch.product_id)}?url=${encodeURIComponent(watch.url)}`;
}

/** A page address as the server keeps it for comparing: no fragment, a normalised form; null if invalid. */
export function samePageKey(url) {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return null;
  }
}

/** The watch of this product on this page (any of the addresses the page goes by), or null. */
export function findWatch(watches, productId, urls) {
  const keys = new Set([urls].flat().map(samePageKey).filter(Boolean));
  return (watches || []).find((w) => w && w.product_id === productId && keys.has(samePageKey(w.url))) || null;
}

/**
 * The rule a form's values ask for: {rule: {target_price, notify_on}} or {problem: message key}. The target
 * is typed the shopper's way ("99,90", "1.299,00", "99.9") and sent as a decimal string; empty means none.
 */
export function ruleFrom({ target, notifyOn }) {
  const text = String(target ?? '').trim();
  const price = text ? parsePrice(text) : null;
  if (text && price === null) return { problem: 'watchTargetInvalid' };
  const chosen = ALL_RULES.filter((r) => (notifyOn || []).includes(r));
  if (!chosen.length) return { problem: 'watchRuleNeeded' };
  if (chosen.includes('below') && price === null) return { problem: 'watchTargetNeeded' };
  return { rule: { target_price: price, notify_on: chosen } };
}

/** A typed price as a decimal string with two places, or null when it is not a positive amount. */
export function parsePrice(text) {
  if (String(text).includes('-')) return null; // a price below zero is no target
  const cleaned = String(text).replace(/[^\d.,]/g, '');
  if (!/\d/.test(cleaned)) return null;
  const lastSep = Math.max(cleaned.lastIndexOf(','), cleaned.lastIndexOf('.'));
  // The last separator is the decimal one when two or fewer digits follow it ("1.299,00", "99.9").
  const decimals = lastSep >= 0 && cleaned.length - lastSep - 1 <= 2;
  const whole = (decimals ? cleaned.slice(0, lastSep) : cleaned).replace(/[.,]/g, '');
  const fraction = decimals ? cleaned.slice(lastSep + 1) : '';
  const number = Number(`${whole || '0'}.${fraction || '0'}`);
  return Number.isFinite(number) && number > 0 ? number.toFixed(2) : null;
}

/** How a watch's rule reads: "Below €99.00 · Any drop · Back in stock". */
export function describeRule(watch, { t, locale }) {
  const parts = [];
  for (const rule of ALL_RULES) {
    if (!(watch.notify_on || []).includes(rule)) continue;
    parts.push(rule === 'below' ? t('watchRuleBelowAmount', [priceText(watch.target_price, watch.currency, locale)]) : t(`watchRule_${rule}`));
  }
  return parts.join(' · ');
}

/** The watch's state in one line: blocked, not checked yet, or the last price seen. */
export function describeState(watch, { t, locale }) {
  if (watch.status === 'blocked') return t('watchBlocked');
  const last = watch.last_price;
  if (!last || amount(last.amount) === null) return t('watchPending');
  const stock = watch.availability === 'out_of_stock' ? ` · ${t('availability_out_of_stock')}` : '';
  return `${t('watchLastPrice', [money(last.amount, last.currency, locale)])}${stock}`;
}

function priceText(value, currency, locale) {
  return currency ? money(value, currency, locale) : String(value ?? '');
}
