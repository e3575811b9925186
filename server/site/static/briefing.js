// One briefing in full, at /briefings/{id}: every section the API gives, the way a shopper reads it.

import { call } from "./api.js";
import { el, link, money, show } from "./dom.js";
import { needsCode, setUpPairing } from "./pairing.js";

const VERDICTS = { buy: "Buy", consider: "Consider", wait: "Wait", avoid: "Avoid", unknown: "No verdict" };
const POLL_MS = 2000;

function part(name, title, ...children) {
  return el("section", { "data-section": name }, el("h2", {}, title), ...children);
}

function list(items, render, className) {
  if (!items || !items.length) return null;
  return el("ul", { class: className }, items.map((item) => el("li", {}, render(item))));
}

function offer(o) {
  if (!o) return "—";
  const seller = o.seller || "unknown seller";
  return [money(o.price, o.currency), ` at ${seller} (${o.availability || "unknown"}) `, o.url ? link(o.url, "page") : null];
}

function productPart(b) {
  const p = b.product || {};
  const facts = [["Brand", p.brand], ["GTIN", p.gtin], ["MPN", p.mpn], ["SKU", p.sku]].filter(([, v]) => v);
  return el(
    "header",
    { "data-section": "product" },
    el("h2", { class: "product-name" }, p.name || b.url || "Unknown product"),
    el("p", { class: "muted" }, link(b.url, b.url), ` · ${b.status} · ${b.generated_at ?? ""}`),
    facts.length ? el("dl", {}, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])) : null,
  );
}

function verdictPart(b) {
  const v = b.verdict || {};
  const label = Object.hasOwn(VERDICTS, v.label) ? v.label : "unknown";
  return part(
    "verdict",
    "Verdict",
    el("p", {}, el("span", { class: "chip verdict", "data-label": label }, VERDICTS[label]),
      v.score !== null && v.score !== undefined ? el("span", { class: "score" }, ` ${v.score}/100`) : null),
    v.summary ? el("p", { class: "summary" }, v.summary) : null,
    list(v.reasons, (r) => r, "reasons"),
  );
}

function pricePart(b) {
  const p = b.price || {};
  const h = p.history || {};
  const rows = [["Current", offer(p.current)], ["Lowest", offer(p.lowest)]];
  for (const key of ["low", "high", "typical"]) {
    if (h[key] !== null && h[key] !== undefined) rows.push([`History ${key}`, typeof h[key] === "object" ? offer(h[key]) : String(h[key])]);
  }
  return part(
    "price",
    "Price",
    el("p", {}, el("span", { class: "chip price", "data-price-verdict": p.verdict || "unknown" }, p.verdict || "unknown"), p.reason ? ` ${p.reason}` : ""),
    el("dl", {}, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
    p.offers && p.offers.length ? [el("h3", {}, "Offers"), list(p.offers, offer, "offers")] : null,
  );
}

function aspects(title, items, kind) {
  if (!items || !items.length) return null;
  return el(
    "div",
    { "data-aspects": kind },
    el("h3", {}, title),
    list(items, (a) => [el("strong", {}, a.aspect), ` (${a.mentions})`, ...(a.quotes || []).map((q) => el("blockquote", {}, q))]),
  );
}

// A share of the reviews (0..1) as a percentage.
function share(value) {
  return `${Math.round((Number(value) || 0) * 100)}%`;
}

function reviewsPart(b) {
  const r = b.reviews || {};
  const trust = r.trust || {};
  const s = r.sentiment || {};
  return part(
    "reviews",
    "Reviews",
    el("p", {}, `${r.rating ?? "—"} / 5 from ${r.count ?? 0} reviews (${r.analyzed ?? 0} read)`),
    s.mean !== undefined
      ? el("p", {}, `Sentiment: ${share(s.positive)} positive, ${share(s.neutral)} neutral, ${share(s.negative)} negative`)
      : null,
    aspects("Pros", r.pros, "pros"),
    aspects("Cons", r.cons, "cons"),
    trust.grade ? el("p", {}, "Trust grade ", el("span", { class: "grade" }, trust.grade)) : null,
    list(trust.signals, (sig) => `${sig.name} (${sig.severity}): ${sig.detail ?? ""}`, "signals"),
    r.highlights && r.highlights.length ? [el("h3", {}, "Highlights"), list(r.highlights, (q) => el("blockquote", {}, typeof q === "string" ? q : q.text ?? ""), "highlights")] : null,
  );
}

function mentionsPart(b) {
  const m = b.mentions || {};
  return part(
    "mentions",
    "Mentions",
    list(m.items, (item) => [
      link(item.url, item.title || item.url),
      ` — ${item.site ?? ""} · ${item.kind ?? ""}`,
      item.sponsored ? el("span", { class: "chip bad" }, "sponsored") : null,
      item.snippet ? el("p", { class: "snippet" }, item.snippet) : null,
    ], "mentions") || el("p", { class: "muted" }, "No mention found."),
  );
}

function sourcesPart(b) {
  return part(
    "sources",
    "Sources",
    list(b.sources, (s) => [
      el("span", { class: "chip", "data-status": s.status }, s.status),
      ` ${s.name} `,
      s.url ? link(s.url, s.url) : null,
      s.error ? el("span", { class: "muted" }, ` — ${s.error}`) : null,
    ], "sources"),
  );
}

function render(b) {
  const root = document.getElementById("briefing");
  show(root, productPart(b), verdictPart(b), pricePart(b), reviewsPart(b), mentionsPart(b), sourcesPart(b));
  if (b.status === "running") root.append(el("p", { class: "muted", role: "status" }, "Still being made…"));
  root.setAttribute("aria-busy", String(b.status === "running"));
  document.title = `zmot — ${b.product?.name || b.url || "briefing"}`;
}

async function load() {
  const id = decodeURIComponent(location.pathname.split("/").pop());
  const root = document.getElementById("briefing");
  try {
    const briefing = await call(`/v1/briefings/${encodeURIComponent(id)}`);
    render(briefing);
    if (briefing.status === "running") setTimeout(load, POLL_MS);
  } catch (error) {
    if (needsCode(error)) return show(root, el("p", { class: "muted" }, "Waiting for the pairing code."));
    show(root, el("p", { class: "error", role: "alert" }, error.status === 404 ? "No such briefing (it may have expired)." : error.message));
    root.setAttribute("aria-busy", "false");
  }
}

setUpPairing(load);
load();
