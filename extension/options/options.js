/**
 * The options page: server address, pairing code and language, kept in chrome.storage.local. The pairing code
 * is the bearer token `zmot serve` prints at its first start (and `zmot token` prints again).
 */

import { makeTranslator, pickLanguage } from '../lib/i18n.js';
import { normalizeServerUrl, originPattern, withDefaults } from '../lib/settings.js';
import { showWatches } from './watches.js';

const form = document.getElementById('form');
const result = document.getElementById('result');

main();

async function main() {
  const settings = withDefaults(await chrome.storage.local.get(['serverUrl', 'token', 'language']));
  const t = await makeTranslator(pickLanguage(settings.language, chrome.i18n.getUILanguage()), loadJson);
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.title = t('optionsTitle');
  form.serverUrl.value = settings.serverUrl;
  form.token.value = settings.token;
  form.language.value = settings.language;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save(t);
  });
  offerNotifications();
  const ctx = { t, locale: t.language };
  await showWatches(document.getElementById('watches'), document.getElementById('watchesStatus'), ctx, {
    settings, fetch: (...a) => fetch(...a), storage: chrome.storage.local,
  });
}

/** Validate and store the form; then ask for access to the server's origin (it needs the click's gesture). */
async function save(t) {
  const serverUrl = normalizeServerUrl(form.serverUrl.value);
  form.serverUrl.setAttribute('aria-invalid', serverUrl ? 'false' : 'true');
  if (!serverUrl) {
    show(t('serverUrlInvalid'), true);
    form.serverUrl.focus();
    return;
  }
  // The permission request must start within the click, before anything else is awaited.
  const permission = requestOrigin(serverUrl);
  const token = form.token.value.trim(); // a code copied from the terminal often brings a space along
  await chrome.storage.local.set({ serverUrl, token, language: form.language.value });
  form.serverUrl.value = serverUrl;
  form.token.value = token;
  show(t('saved'), false);
  const granted = await permission;
  if (!granted) show(`${t('saved')} ${t('permissionDeclined')}`, false);
}

/** Alerts show as browser notifications once allowed; the first watch asks, and this button asks again
 * for a shopper who said no then (or watched from another browser). */
async function offerNotifications() {
  const asked = { permissions: ['notifications'] };
  const button = document.getElementById('allowNotifications');
  const help = document.getElementById('notificationsHelp');
  const allowed = await chrome.permissions.contains(asked).catch(() => true);
  button.hidden = help.hidden = allowed;
  button.addEventListener('click', async () => {
    const granted = await chrome.permissions.request(asked).catch(() => false);
    button.hidden = help.hidden = granted;
  });
}

/** Ask for the optional host permission of the server; the popup still works without it (by polling). */
async function requestOrigin(serverUrl) {
  try {
    return await chrome.permissions.request({ origins: [originPattern(serverUrl)] });
  } catch {
    return false;
  }
}

function show(text, isError) {
  result.textContent = text;
  result.classList.toggle('error', isError);
}

async function loadJson(path) {
  const response = await fetch(chrome.runtime.getURL(path));
  return response.json();
}
