/**
 * Alerts in the browser: the background asks the server for the alerts of its watches now and then
 * (GET /v1/alerts?since=) and shows each new one as a notification that opens the product's page.
 */

import { safeHref } from './format.js';
import { apiHeaders, apiUrl } from './settings.js';

/** The alarm that wakes the background to ask for alerts, and how often (minutes). */
export const ALERT_ALARM = 'zmot-alerts';
export const ALERT_PERIOD_MIN = 5;
/** Seconds asked again each time: an alert written while the last answer was on its way is not missed. */
export const OVERLAP_S = 120;
const KEPT_IDS = 200; // alerts already shown, remembered so the overlap shows nothing twice
const PREFIX = 'zmot-alert:';

/**
 * Ask for the alerts since the last time and notify each new one; returns how many were shown.
 * deps: {settings, storage (chrome.storage.local-like), fetch, notify(alert), now() in seconds}.
 * Nothing is asked before the shopper watches something (the popup then stores `alertsSince`).
 */
export async function pollAlerts({ settings, storage, fetch: fetchFn, notify, now }) {
  const kept = await storage.get(['alertsSince', 'alertsShown']);
  const since = Number(kept.alertsSince);
  if (!Number.isFinite(since)) return 0;
  const shown = Array.isArray(kept.alertsShown) ? kept.alertsShown : [];
  const asked = Math.max(0, since - OVERLAP_S);
  let answer;
  try {
    const response = await fetchFn(apiUrl(settings.serverUrl, `/v1/alerts?since=${asked}`), {
      headers: apiHeaders(settings.token, true),
    });
    if (!response.ok) return 0;
    answer = await response.json();
  } catch {
    return 0; // the server is away: the same alerts are asked for next time
  }
  const alerts = Array.isArray(answer && answer.alerts) ? answer.alerts : [];
  const fresh = alerts.filter((a) => a && typeof a.id === 'string' && !shown.includes(a.id));
  for (const alert of fresh) await notify(alert);
  const latest = Math.max(since, ...alerts.map((a) => Number(a.at)).filter(Number.isFinite));
  const serverNow = Number(answer && answer.now);
  await storage.set({
    alertsSince: Number.isFinite(serverNow) ? Math.max(latest, serverNow) : Math.max(latest, now()),
    alertsShown: [...shown, ...fresh.map((a) => a.id)].slice(-KEPT_IDS),
  });
  return fresh.length;
}

/** The notification an alert makes: its own title and body, the server's words in the watch's language. */
export function notificationFor(alert, iconUrl) {
  return {
    type: 'basic',
    iconUrl,
    title: String(alert.title || alert.name || ''),
    message: String(alert.body || ''),
  };
}

/** A notification's id carries the page it opens, so a click finds it after the background slept. */
export function notificationIdFor(alert) {
  return `${PREFIX}${JSON.stringify([String(alert.id), String(alert.url || '')])}`;
}

/** The http(s) page a notification opens, or null when the id is not an alert's. */
export function pageOfNotification(id) {
  if (typeof id !== 'string' || !id.startsWith(PREFIX)) return null;
  try {
    const [, url] = JSON.parse(id.slice(PREFIX.length));
    return safeHref(url);
  } catch {
    return null;
  }
}
