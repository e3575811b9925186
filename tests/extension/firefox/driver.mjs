/**
 * Firefox ESR with zmot's extension, driven over WebDriver BiDi by puppeteer-core and by the pytest process
 * that starts this program: one JSON request per line on stdin ({id, op, ...}), one JSON answer per line on
 * stdout ({id, ok, value | error}). One Firefox serves every scenario of a test module, since starting it
 * costs seconds and a scenario a fraction of that.
 *
 * Usage: node driver.mjs '{"firefox", "extension", "webPort", "uuid", "artifacts"}'
 *
 * What Firefox may not do for a test, this program does another way:
 * - BiDi does not navigate to moz-extension:// pages, but a web page may go to one the extension lists as
 *   web-accessible. The extension given here is a test copy whose manifest makes its pages web-accessible
 *   to the local web (and grants it the *.test sites, standing in for the toolbar click's activeTab).
 * - Every *.test name is the local web, through a proxy auto-config; loopback goes direct; any other
 *   address goes to a recorder on loopback that answers nothing and keeps what was asked (`strays`), so a
 *   test can show that nothing left the machine. Firefox's own services are turned off by prefs, and native
 *   DNS answers loopback for every name, so that even a connection past the proxy could not leave.
 * - The toolbar popup cannot be clicked headless: the popup page is opened in a tab with ?tab=ID, as
 *   DESIGN.md has tests do, and chrome.* calls (settings, tab ids) are made from the options page.
 */

import net from 'node:net';
import readline from 'node:readline';

import puppeteer from 'puppeteer-core';

const config = JSON.parse(process.argv[2]);
const EXTENSION_ID = 'zmot@zmot.invalid';
const LAUNCHPAD = 'http://zmot-extension.test/'; // any local-web page: the web page that opens extension pages

const strays = [];
const recorder = net.createServer((socket) => {
  socket.once('data', (chunk) => {
    strays.push(chunk.toString('latin1').split('\r\n')[0]);
    socket.destroy();
  });
  socket.on('error', () => {});
});
await new Promise((resolve) => recorder.listen(0, '127.0.0.1', resolve));

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: config.firefox,
  headless: true,
  // Release builds read services.settings.server only with this set; pointed at nothing, remote settings
  // (block lists, translations, …) stay quiet instead of reaching Mozilla.
  env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
  extraPrefsFirefox: quietPrefs(config.webPort, recorder.address().port, config.uuid),
});
const installed = await browser.installExtension(config.extension);
const pages = new Map(); // handle -> { page, dialogs }
let nextHandle = 1;
const control = await openExtensionPage('options/options.html'); // where chrome.* is called from

const OPS = {
  /** Store settings as the options page would. */
  settings: ({ values }) => control.page.evaluate((v) => chrome.storage.local.set(v), values),
  /** A tab showing url; its handle and its id as the extension knows it. */
  open_tab: async ({ url }) => {
    const opened = await newPage();
    await opened.page.goto(url);
    const tabId = await control.page.evaluate(
      (u) => chrome.tabs.query({}).then((tabs) => Math.max(-1, ...tabs.filter((t) => t.url === u).map((t) => t.id))),
      url,
    );
    if (tabId < 0) throw new Error(`the extension cannot see ${url}`);
    return { handle: opened.handle, tabId };
  },
  /** The popup for a tab, in a tab of its own (popup.html?tab=ID, as DESIGN.md has tests open it). */
  open_popup: async ({ tabId, width = 420 }) => {
    const opened = await openExtensionPage(`popup/popup.html?tab=${tabId}`, width);
    return opened.handle;
  },
  /** Wait for selector to match; when it does not in time, say what the page shows instead. */
  wait: async ({ handle, selector, timeoutMs = 15_000 }) => {
    try {
      await page(handle).waitForSelector(selector, { timeout: timeoutMs });
    } catch (error) {
      const shown = await page(handle).evaluate(() => document.body.innerText.slice(0, 800)).catch(() => '?');
      throw new Error(`${selector} did not appear in ${timeoutMs} ms; the page shows:\n${shown}`);
    }
    return null;
  },
  /** For each named selector: how many match, how many are visible, their text, the first one's attributes. */
  probe: ({ handle, queries }) => page(handle).evaluate(probe, queries),
  click: ({ handle, selector }) => page(handle).click(selector),
  dialogs: ({ handle }) => pages.get(handle).dialogs,
  screenshot: ({ handle, name }) =>
    page(handle).screenshot({ path: `${config.artifacts}/${name}.png`, fullPage: true }).then(() => null),
  close: async ({ handle }) => {
    await page(handle).close();
    pages.delete(handle);
  },
  strays: () => strays,
};

const lines = readline.createInterface({ input: process.stdin });
send({ ready: true, extension: installed, origin: `moz-extension://${config.uuid}` });
for await (const line of lines) {
  const request = JSON.parse(line);
  if (request.op === 'quit') break;
  try {
    send({ id: request.id, ok: true, value: (await OPS[request.op](request)) ?? null });
  } catch (error) {
    send({ id: request.id, ok: false, error: String(error && error.stack ? error.stack : error) });
  }
}
await browser.close();
process.exit(0); // stdin, still open, would keep this program alive

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function page(handle) {
  const entry = pages.get(handle);
  if (!entry) throw new Error(`no page ${handle}`);
  return entry.page;
}

async function newPage(width = 1000) {
  const created = await browser.newPage();
  await created.setViewport({ width, height: 900 });
  const entry = { page: created, dialogs: [], handle: nextHandle++ };
  created.on('dialog', (dialog) => {
    entry.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  pages.set(entry.handle, entry);
  return entry;
}

/** An extension page in a new tab, reached from the launchpad web page (see the header). */
async function openExtensionPage(path, width) {
  const opened = await newPage(width);
  await opened.page.goto(LAUNCHPAD);
  const url = `moz-extension://${config.uuid}/${path}`;
  await opened.page.evaluate((u) => {
    location.href = u;
  }, url);
  // puppeteer is not told of this navigation; the page's own address says when it is there.
  await opened.page.waitForFunction(
    (u) => location.href === u && document.readyState === 'complete',
    { timeout: 15_000 },
    url,
  );
  return opened;
}

/** Runs in the page: what a test asserts on, read in one round trip. */
function probe(queries) {
  const out = {};
  for (const [name, selector] of Object.entries(queries)) {
    const found = [...document.querySelectorAll(selector)];
    const first = found[0];
    out[name] = {
      count: found.length,
      visible: found.filter((e) => e.checkVisibility()).length,
      text: found.map((e) => e.innerText).join('\n'),
      attrs: first ? Object.fromEntries([...first.attributes].map((a) => [a.name, a.value])) : null,
    };
  }
  return out;
}

/**
 * Firefox's own connections (telemetry, updates, safe browsing, remote settings, captive portal and
 * connectivity checks, push, geolocation, region, add-on services, DNS over HTTPS) turned off; what is
 * left goes through the proxy auto-config below, to the local web or to the recorder.
 */
function quietPrefs(webPort, recorderPort, uuid) {
  const stray = 'http://stray.invalid/'; // a URL that only the recorder answers, should Firefox use it
  const pac = `function FindProxyForURL(url, host) {
    if (host === '127.0.0.1' || host === 'localhost') return 'DIRECT';
    if (dnsDomainIs(host, '.test')) return 'PROXY 127.0.0.1:${webPort}';
    return 'PROXY 127.0.0.1:${recorderPort}';
  }`;
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [EXTENSION_ID]: uuid }),
    'network.proxy.type': 2,
    'network.proxy.autoconfig_url': `data:application/x-ns-proxy-autoconfig;base64,${Buffer.from(pac).toString('base64')}`,
    'network.proxy.failover_direct': false,
    'network.dns.native-is-localhost': true, // and should anything bypass the proxy, it meets loopback only
    'network.trr.mode': 5,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.predictor.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'network.sntp.pools': 'stray.invalid',
    'app.update.auto': false,
    'app.update.enabled': false,
    'app.normandy.enabled': false,
    'app.shield.optoutstudies.enabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.archive.enabled': false,
    'toolkit.telemetry.server': stray,
    'datareporting.healthreport.documentServerURI': stray,
    'datareporting.policy.dataSubmissionEnabled': false,
    'browser.ping-centre.telemetry': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.remote.enabled': false,
    'browser.safebrowsing.provider.google4.updateURL': '',
    'browser.safebrowsing.provider.mozilla.updateURL': '',
    'services.settings.server': 'data:,#remote-settings-dummy/v1',
    'security.remote_settings.crlite_filters.enabled': false,
    'security.remote_settings.intermediates.enabled': false,
    'security.OCSP.enabled': 0,
    'dom.push.connection.enabled': false,
    'dom.push.serverURL': '',
    'geo.provider.network.url': '',
    'browser.region.network.url': '',
    'browser.region.update.enabled': false,
    'browser.search.geoSpecificDefaults': false,
    'browser.topsites.contile.enabled': false,
    'browser.newtabpage.activity-stream.feeds.topsites': false,
    'browser.newtabpage.activity-stream.feeds.section.topstories': false,
    'browser.discovery.enabled': false,
    'browser.translations.enable': false,
    'browser.ml.enable': false,
    'media.gmp-manager.url': stray,
    'media.gmp-gmpopenh264.enabled': false,
    'extensions.blocklist.enabled': false,
    'extensions.systemAddon.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.webservice.discoverURL': stray,
    'identity.fxaccounts.enabled': false,
    'signon.management.page.breach-alerts.enabled': false,
  };
}
