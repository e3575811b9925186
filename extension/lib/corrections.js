/**
 * The shopper's corrections: the API calls (POST/GET/DELETE /v1/corrections), starting the picker in their
 * tab, and what a briefing says about a field's correction (applied, stale, or none), which the popup shows.
 */

import { watchCall } from './watches.js';

/** The fields a shopper can point at (the server's list). */
export const FIELDS = ['price', 'list_price', 'availability', 'reviews'];
const MAX_VALUE = 2000;

/**
 * Keep a pick {url, field, selector, value} as this shopper's correction for the page's site: answers
 * {ok, data: {correction}} or {ok: false, error}. A new one replaces the old one of the same field.
 */
export function postCorrection(settings, fetchFn, pick) {
  const body = { url: String(pick.url), field: String(pick.field), selector: String(pick.selector) };
  if (typeof pick.value === 'string' && pick.value) body.value = pick.value.slice(0, MAX_VALUE);
  return watchCall(settings, fetchFn, 'POST', '/v1/corrections', body);
}

/** This shopper's corrections, newest first (of one site when `site` is given). */
export async function listCorrections(settings, fetchFn, site) {
  const path = site ? `/v1/corrections?site=${encodeURIComponent(site)}` : '/v1/corrections';
  const answer = await watchCall(settings, fetchFn, 'GET', path);
  if (answer.ok) answer.corrections = Array.isArray(answer.data && answer.data.corrections) ? answer.data.corrections : [];
  return answer;
}

/** Forget a correction: the field is read the automatic way again from the next briefing on. */
export function deleteCorrection(settings, fetchFn, id) {
  return watchCall(settings, fetchFn, 'DELETE', `/v1/corrections/${encodeURIComponent(id)}`);
}

/** Whether a message from the page is a pick the picker made (and nothing else). */
export function isPick(message) {
  return Boolean(message) && message.type === 'correction-pick' && FIELDS.includes(message.field) &&
    typeof message.selector === 'string' && message.selector.length > 0 && message.selector.length <= 1000 &&
    typeof message.url === 'string' && /^https?:\/\//i.test(message.url);
}

/**
 * What a briefing says of one field's correction: {state, correction, source}. state "applied" (the value
 * shown came from the shopper's correction), "stale" (it no longer matches this page: the automatic value
 * stands) or "none"; source the field's source as the briefing gives it.
 */
export function correctionOf(briefing, field) {
  const list = Array.isArray(briefing && briefing.corrections) ? briefing.corrections : [];
  const correction = list.find((c) => c && c.field === field && typeof c.id === 'string') || null;
  const section = briefing && briefing[field === 'reviews' ? 'reviews' : 'price'];
  const source = section && typeof section.source === 'string' ? section.source : null;
  if (correction && correction.status === 'stale') return { state: 'stale', correction, source };
  if (correction && (correction.status === 'applied' || source === 'correction')) return { state: 'applied', correction, source };
  return { state: 'none', correction: null, source };
}

/** The instruction lines the picker shows in the page, in the shopper's language. */
export function pickerWords(field, t) {
  const hints = {
    price: t('pickerHintPrice'),
    list_price: t('pickerHintListPrice'),
    availability: t('pickerHintAvailability'),
    reviews: t('pickerHintReviews'),
  };
  return { field, hint: hints[field] || hints.price, cannot: t('pickerCannot') };
}

/**
 * Start the picker in a tab (activeTab, granted by the click on zmot's icon): its words first, then the
 * selector builder and the picker itself. Resolves to true when it runs, false when the tab refused.
 */
export async function startPicker(scripting, tabId, words) {
  try {
    await scripting.executeScript({
      target: { tabId },
      func: (config) => {
        globalThis.zmotPickerConfig = config;
      },
      args: [words],
    });
    await scripting.executeScript({ target: { tabId }, files: ['lib/selector.js', 'lib/picker.js'] });
    return true;
  } catch {
    return false;
  }
}
