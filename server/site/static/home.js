// The self-hoster's page: watched products with their price charts, the last briefings and their
// verdicts, and the notification test. Everything shown comes from the API; nothing is read as markup.

import { call } from "./api.js";
import { priceChart } from "./chart.js";
import { el, link, show, when } from "./dom.js";
import { needsCode, setUpPairing } from "./pairing.js";

const VERDICTS = { buy: "Buy", consider: "Consider", wait: "Wait", avoid: "Avoid", unknown: "No verdict" };

function section(name) {
  return document.querySelector(`[data-section="${name}"]`);
}

function done(name, ...children) {
  const root = section(name);
  show(root.querySelector(".content"), ...children);
  root.setAttribute("aria-busy", "false");
}

function failed(name, error) {
  if (needsCode(error)) {
    // Still busy: what the section shows comes once the code is entered.
    show(section(name).querySelector(".content"), el("p", { class: "muted" }, "Waiting for the pairing code."));
    return;
  }
  done(name, el("p", { class: "error", role: "alert" }, `Could not load: ${error.message}`));
}

export function verdictChip(label, score) {
  const known = Object.hasOwn(VERDICTS, label) ? label : "unknown";
  const text = score === null || score === undefined ? VERDICTS[known] : `${VERDICTS[known]} · ${score}/100`;
  return el("span", { class: "chip verdict", "data-label": known }, text);
}

async function loadBriefings() {
  const { briefings } = await call("/v1/briefings?limit=20");
  if (!briefings.length) {
    done("briefings", el("p", { class: "muted" }, "No briefing yet: click zmot on a product page."));
    return briefings;
  }
  const list = el("ol", { class: "briefings" });
  for (const b of briefings) {
    const name = b.product?.name || b.url || b.id;
    list.append(
      el(
        "li",
        { class: "briefing", "data-id": b.id },
        el("a", { href: `/briefings/${encodeURIComponent(b.id)}`, class: "name" }, name),
        " ",
        verdictChip(b.verdict?.label, b.verdict?.score),
        el("span", { class: "chip price", "data-price-verdict": b.price_verdict }, `price: ${b.price_verdict}`),
        b.verdict?.summary ? el("p", { class: "summary" }, b.verdict.summary) : null,
        el("p", { class: "muted" }, `${b.status} · ${b.generated_at ?? ""} · `, link(b.url, b.url)),
      ),
    );
  }
  done("briefings", list);
  return briefings;
}

async function loadWatches(names) {
  const { watches } = await call("/v1/watch");
  if (!watches.length) {
    done("watches", el("p", { class: "muted" }, "Nothing watched yet: use “Watch” in a briefing."));
    return;
  }
  const products = new Map();
  for (const w of watches) {
    if (!products.has(w.product_id)) products.set(w.product_id, []);
    products.get(w.product_id).push(w);
  }
  const items = [];
  for (const [productId, pages] of products) items.push(await product(productId, pages, names));
  done("watches", ...items);
}

async function product(productId, pages, names) {
  const name = names.get(productId) || `Product ${productId}`;
  const pageList = el("ul", { class: "pages" });
  for (const w of pages) {
    const state = w.last_error
      ? `last check failed: ${w.last_error}`
      : w.last_checked
        ? `checked ${when(w.last_checked)}`
        : "not checked yet";
    pageList.append(el("li", {}, link(w.url, w.url), el("span", { class: "muted" }, ` — ${state}`)));
  }
  const article = el(
    "article",
    { class: "watch", "data-product": productId },
    el("h3", { class: "product-name" }, name),
    pageList,
  );
  try {
    const { points } = await call(`/v1/products/${encodeURIComponent(productId)}/prices`);
    article.append(priceChart(points, name));
  } catch (error) {
    if (error.status !== 404) throw error;
    article.append(el("p", { class: "muted" }, "No price recorded yet."));
  }
  return article;
}

async function load() {
  for (const name of ["watches", "briefings"]) section(name).setAttribute("aria-busy", "true");
  let names = new Map();
  try {
    const briefings = await loadBriefings();
    names = new Map(briefings.filter((b) => b.product?.id && b.product?.name).map((b) => [b.product.id, b.product.name]));
  } catch (error) {
    failed("briefings", error);
  }
  try {
    await loadWatches(names);
  } catch (error) {
    failed("watches", error);
  }
}

async function testNotifications() {
  const out = section("notify").querySelector(".content");
  const button = document.getElementById("notify-test");
  button.disabled = true;
  show(out, el("p", { class: "muted" }, "Sending…"));
  try {
    const locale = (navigator.language || "en").slice(0, 2);
    const { sent, results } = await call("/v1/notify/test", { method: "POST", body: { locale } });
    const list = el("ul", { class: "results" });
    for (const r of results) {
      list.append(
        el("li", { "data-status": r.status }, el("code", {}, r.url), ` — ${r.status}`, r.error ? `: ${r.error}` : ""),
      );
    }
    show(out, el("p", {}, `${sent} of ${results.length} sent.`), list);
  } catch (error) {
    if (!needsCode(error)) show(out, el("p", { class: "error", role: "alert" }, error.message));
    else show(out);
  } finally {
    button.disabled = false;
  }
}

setUpPairing(load);
document.getElementById("notify-test").addEventListener("click", testNotifications);
load();
