/**
 * The background: captures the tab the shopper clicked on, asks their zmot server for a briefing, keeps the
 * last briefing per tab (so reopening the popup is instant), shows it to popups and sets the badge. It also
 * asks the server for the alerts of the shopper's watches every few minutes and shows them as notifications,
 * and refreshes a watch when its page is opened on a site the shopper allowed when making it. When the shopper
 * points at the right value in their page (the picker), it keeps that as a correction on the server and
 * briefs the page again: the popup may be closed by then, so the badge and the next popup show the result.
 */

import { ALERT_ALARM, ALERT_PERIOD_MIN, notificationFor, notificationIdFor, pageOfNotification, pollAlerts } from './lib/alerts.js';
import { startView, withError } from './lib/briefing.js';
import { requestBriefing } from './lib/client.js';
import { isPick, postCorrection } from './lib/corrections.js';
import { briefingRequest } from './lib/page.js';
import { withDefaults } from './lib/settings.js';
import { badgeFor } from './lib/verdict.js';
import { visitRefresher } from './lib/visits.js';

const views = new Map(); // tabId -> the latest view of that tab's briefing
const runs = new Map(); // tabId -> a token for the briefing being built, so a stale run cannot publish
const ports = new Set(); // connected popups, each watching one tab
let alertsRun = null; // one poll at a time, so two alarms close together cannot both show an alert
let listening = false; // whether a click on a notification is listened to yet
const refreshOnVisit = visitRefresher({
  storage: chrome.storage.local,
  session: chrome.storage.session || chrome.storage.local,
  permissions: chrome.permissions,
  capture: (tabId) => captureTab(tabId),
  fetch: (...a) => fetch(...a),
  now: () => Date.now(),
  uiLanguage: chrome.i18n.getUILanguage(),
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'popup') return;
  ports.add(port);
  port.onMessage.addListener((message) => onPopupMessage(port, message));
  port.onDisconnect.addListener(() => ports.delete(port));
});

chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status === 'loading') forget(tabId); // the tab went to another page
  // The tab's address is known only on sites the shopper allowed; the refresher checks the watch list too.
  if (change.status === 'complete' && tab && tab.url) refreshOnVisit(tabId, tab.url).catch(() => {});
});
chrome.tabs.onRemoved.addListener((tabId) => forget(tabId));

// The picker's choice, from the page zmot injected it into (only zmot's own scripts can send it).
chrome.runtime.onMessage?.addListener((message, sender) => {
  if (sender.id !== chrome.runtime.id || !sender.tab || !Number.isInteger(sender.tab.id) || !isPick(message)) return;
  correct(sender.tab.id, message).catch(() => {});
});

// Alerts: an alarm survives the background being stopped; a missing one (new install, restart) is made again.
chrome.alarms.get(ALERT_ALARM).then((alarm) => {
  if (!alarm) chrome.alarms.create(ALERT_ALARM, { delayInMinutes: 1, periodInMinutes: ALERT_PERIOD_MIN });
});
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALERT_ALARM) checkAlerts();
});
// The notifications API exists once the shopper allowed it (an optional permission asked on their first watch).
listenToNotifications();
chrome.permissions.onAdded.addListener(listenToNotifications);


/** Ask the server for new alerts and show each (when notifications are allowed; otherwise just keep up). */
function checkAlerts() {
  alertsRun ??= (async () => {
    const settings = withDefaults(await chrome.storage.local.get(['serverUrl', 'token', 'language']));
    const icon = chrome.runtime.getURL('icons/icon-128.png');
    const notify = async (alert) => {
      if (!chrome.notifications) return;
      await chrome.notifications.create(notificationIdFor(alert), notificationFor(alert, icon)).catch(() => {});
    };
    const now = () => Date.now() / 1000;
    return pollAlerts({ settings, storage: chrome.storage.local, fetch: (...a) => fetch(...a), notify, now });
  })().finally(() => {
    alertsRun = null;
  });
  return alertsRun;
}

/** A click on an alert opens the product's page. */
function listenToNotifications() {
  if (listening || !chrome.notifications) return;
  listening = true;
  chrome.notifications.onClicked.addListener((id) => {
    const page = pageOfNotification(id);
    if (!page) return;
    chrome.tabs.create({ url: page }).catch(() => {});
    chrome.notifications.clear(id).catch(() => {});
  });
}

/** One switch for every message a popup sends. */
function onPopupMessage(port, message) {
  switch (message && message.type) {
    case 'watch':
      port.tabId = message.tabId;
      watch(message.tabId, port);
      break;
    case 'refresh':
      port.tabId = message.tabId;
      brief(message.tabId);
      break;
    default:
      break;
  }
}

/** Send the tab's kept briefing to the popup, or start one when there is none (or the last one failed). */
async function watch(tabId, port) {
  const kept = views.get(tabId) || (await restore(tabId));
  if (kept && kept.phase !== 'error' && (kept.phase === 'done' || runs.has(tabId))) {
    port.postMessage({ type: 'view', tabId, view: kept });
    return;
  }
  brief(tabId);
}

/** Capture the tab and follow its briefing to the end. */
async function brief(tabId) {
  const token = {};
  runs.set(tabId, token);
  const publish = (view) => {
    if (runs.get(tabId) === token) show(tabId, view);
    return view;
  };
  let view = publish(startView());
  let capture;
  try {
    capture = await captureTab(tabId);
    if (!capture || !capture.html) throw new Error('the page gave nothing to read');
  } catch (error) {
    publish(withError(view, { kind: 'cannot_capture', detail: String(error && error.message ? error.message : error) }));
    runs.delete(tabId);
    return;
  }
  view = publish({ ...view, phase: 'sending', url: capture.url });
  const settings = withDefaults(await chrome.storage.local.get(['serverUrl', 'token', 'language']));
  const body = briefingRequest(capture, { uiLanguage: chrome.i18n.getUILanguage(), language: settings.language });
  view = await requestBriefing({ settings, body, view, publish, deps: { fetch: (...a) => fetch(...a) } });
  if (runs.get(tabId) === token) runs.delete(tabId);
  if (view.phase === 'done') setBadge(tabId, view.briefing && view.briefing.verdict);
}

/** Keep the shopper's pick as a correction, then brief the page again; a refusal is shown in the popup. */
async function correct(tabId, pick) {
  const settings = withDefaults(await chrome.storage.local.get(['serverUrl', 'token', 'language']));
  const answer = await postCorrection(settings, (...a) => fetch(...a), pick);
  if (answer.ok) {
    brief(tabId);
    return;
  }
  const kept = views.get(tabId) || (await restore(tabId));
  if (kept) show(tabId, { ...kept, correctionError: { field: pick.field, ...answer.error } });
}

/** The page of a tab as capture.js reads it (the same for a click and for a visit to a watched page). */
async function captureTab(tabId) {
  const [result] = await chrome.scripting.executeScript({ target: { tabId }, files: ['capture.js'] });
  return result && result.result;
}

/** Keep a view and send it to the popups watching its tab. */
function show(tabId, view) {
  views.set(tabId, view);
  chrome.storage.session?.set({ [`view:${tabId}`]: view }).catch(() => {});
  for (const port of ports) {
    if (port.tabId === tabId) port.postMessage({ type: 'view', tabId, view });
  }
}

/** The view kept in session storage, for a background that was stopped and started again. */
async function restore(tabId) {
  if (!chrome.storage.session) return null;
  const key = `view:${tabId}`;
  const stored = (await chrome.storage.session.get(key))[key];
  if (stored) views.set(tabId, stored);
  return stored || null;
}

/** Forget a tab's briefing and its badge. */
function forget(tabId) {
  views.delete(tabId);
  runs.delete(tabId);
  chrome.storage.session?.remove(`view:${tabId}`).catch(() => {});
}

/** The verdict's score on the icon, in the verdict's color. */
function setBadge(tabId, verdict) {
  const badge = badgeFor(verdict);
  chrome.action.setBadgeText({ tabId, text: badge.text }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(() => {});
  chrome.action.setBadgeTextColor?.({ tabId, color: '#ffffff' }).catch(() => {});
}
