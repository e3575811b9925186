/**
 * The popup: asks the background for the briefing of the active tab (or of ?tab=ID, which is how tests
 * open it in a normal tab) and renders each section as it arrives, skeletons until then.
 */

import { failedSources, hasArrived, isNotProduct } from '../lib/briefing.js';
import { fill } from '../lib/dom.js';
import { makeTranslator, pickLanguage } from '../lib/i18n.js';
import { withDefaults } from '../lib/settings.js';
import { correctionControl } from './correction.js';
import { renderMentions } from './render/mentions.js';
import { renderNotice, renderNotProduct, renderPartial } from './render/notice.js';
import { renderPrice } from './render/price.js';
import { renderProduct } from './render/product.js';
import { renderReviews } from './render/reviews.js';
import { renderSources } from './render/sources.js';
import { renderVerdict } from './render/verdict.js';
import { watchControl } from './watch.js';

const RENDERERS = {
  verdict: (b, ctx) => renderVerdict(b.verdict, ctx),
  price: (b, ctx) => renderPrice(b.price, ctx),
  reviews: (b, ctx) => renderReviews(b.reviews, ctx),
  mentions: (b, ctx) => renderMentions(b.mentions, ctx, b.sources),
  sources: (b, ctx) => renderSources(b.sources, ctx),
};
const PRODUCT_ONLY = ['verdict', 'price', 'reviews', 'mentions'];

const $ = (selector) => document.querySelector(selector);
let shownWatchFor = null; // the finished view whose watch was last asked for

main();

async function main() {
  const settings = withDefaults(await chrome.storage.local.get(['serverUrl', 'token', 'language']));
  const language = pickLanguage(settings.language, chrome.i18n.getUILanguage());
  const t = await makeTranslator(language, loadJson);
  const ctx = { t, locale: uiLocale(language), openOptions };
  // The controls below share `settings`: a pairing code entered while the popup is open reaches them too.
  chrome.storage.onChanged?.addListener((changes, area) => {
    if (area !== 'local' || !('token' in changes || 'serverUrl' in changes)) return;
    chrome.storage.local.get(['serverUrl', 'token', 'language']).then((now) => Object.assign(settings, withDefaults(now)));
  });
  ctx.watch = watchControl($('.watch-slot'), ctx, {
    settings, fetch: (...a) => fetch(...a), permissions: chrome.permissions, storage: chrome.storage.local,
  });
  ctx.openFull = (id) => chrome.tabs.create({ url: `${settings.serverUrl}/briefings/${encodeURIComponent(id)}` });
  document.documentElement.lang = language;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.title = t('popupTitle');
  $('#status').textContent = t('phase_capturing');

  const tabId = await targetTab();
  if (tabId === null) {
    showView({ phase: 'error', error: { kind: 'cannot_capture' }, arrived: [], briefing: null }, ctx);
    return;
  }
  const port = chrome.runtime.connect({ name: 'popup' });
  const refresh = () => {
    resetSections();
    port.postMessage({ type: 'refresh', tabId });
  };
  ctx.correction = correctionControl(ctx, {
    settings, fetch: (...a) => fetch(...a), scripting: chrome.scripting, tabId, refresh,
    close: () => (location.search.includes('tab=') ? null : window.close()), // a popup, not a test's tab
  });
  port.onMessage.addListener((message) => {
    switch (message && message.type) {
      case 'view':
        if (message.tabId === tabId) showView(message.view, ctx);
        break;
      default:
        break;
    }
  });
  $('#refresh').addEventListener('click', refresh);
  $('#options').addEventListener('click', openOptions);
  $('#full').addEventListener('click', () => ctx.openFull($('#full').dataset.id));
  port.postMessage({ type: 'watch', tabId });
}

/** The tab to brief: ?tab=ID, else the active tab of this window. */
async function targetTab() {
  const fromQuery = new URLSearchParams(location.search).get('tab');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab && Number.isInteger(tab.id) ? tab.id : null;
}

/** Render a view: the state notice, the product header, then every section that has arrived. */
function showView(view, ctx) {
  const { t } = ctx;
  const briefing = view.briefing || {};
  const notice = $('#notice');
  const notProduct = isNotProduct(view);
  const failed = failedSources(briefing);
  notice.classList.toggle('calm', view.phase !== 'error');
  if (view.phase === 'error') fill(notice, renderNotice(view.error || {}, ctx));
  else if (notProduct) fill(notice, renderNotProduct(ctx));
  else if (view.phase === 'done' && (briefing.status === 'partial' || failed.length)) fill(notice, renderPartial(failed.length, ctx));
  else fill(notice);
  notice.hidden = !notice.firstChild;
  notice.dataset.state = view.phase === 'error' ? view.error.kind : notProduct ? 'not_product' : view.phase === 'done' && briefing.status === 'partial' ? 'partial' : '';

  $('#status').textContent = statusText(view, t);
  const product = $('[data-section="product"]');
  if (hasArrived(view, 'product') || view.phase === 'error') {
    const { name, meta } = renderProduct(briefing.product, ctx);
    $('.product-name').textContent = view.phase === 'error' && !briefing.product ? t('extName') : name;
    $('.product-meta').textContent = meta;
    product.setAttribute('aria-busy', 'false');
  }
  for (const [section, render] of Object.entries(RENDERERS)) {
    const root = $(`[data-section="${section}"]`);
    root.hidden = view.phase === 'error' || (notProduct && PRODUCT_ONLY.includes(section));
    if (!hasArrived(view, section)) continue;
    fill(root.querySelector('.body'), render(briefing, ctx));
    root.setAttribute('aria-busy', 'false');
  }
  showWatchAndLink(view, ctx);
  ctx.correction?.show(view);
}

/** Once a briefing of a product is done: its watch under the price, and the way to the full briefing. */
function showWatchAndLink(view, ctx) {
  const briefing = view.briefing || {};
  const full = $('#full');
  const done = view.phase === 'done' && typeof briefing.id === 'string' && briefing.id !== '';
  full.hidden = !done;
  if (done) full.dataset.id = briefing.id;
  const product = briefing.product;
  if (!done || !product || typeof product.id !== 'string' || shownWatchFor === view.updatedAt) return;
  shownWatchFor = view.updatedAt; // each finished briefing (a refresh too) asks for the watch again
  const url = briefing.url || view.url;
  ctx.watch.show({ productId: product.id, url, urls: [url, view.url], name: product.name, locale: ctx.t.language });
}

/** The one-line status under the header. */
function statusText(view, t) {
  if (view.phase === 'done') {
    const ms = view.briefing && Number.isFinite(view.briefing.elapsed_ms) ? view.briefing.elapsed_ms : 0;
    return t(view.briefing && view.briefing.status === 'partial' ? 'phase_partial' : 'phase_done', [ms]);
  }
  return view.phase === 'error' ? '' : t(`phase_${view.phase}`);
}

/** Put every section back to its skeleton (before a refresh). */
function resetSections() {
  for (const root of document.querySelectorAll('[data-section]')) root.setAttribute('aria-busy', 'true');
}

function openOptions() {
  chrome.runtime.openOptionsPage();
}

function uiLocale(language) {
  const ui = chrome.i18n.getUILanguage();
  return ui.toLowerCase().startsWith(language) ? ui : language;
}

async function loadJson(path) {
  const response = await fetch(chrome.runtime.getURL(path));
  return response.json();
}
