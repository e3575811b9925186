// A price chart drawn as inline SVG: one line per seller over time (its daily lows), axis labels, and a
// title and description that say in words what the lines show.

import { el, money, svg } from "./dom.js";

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 84, right: 16, top: 16, bottom: 44 };
const COLOURS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563"];
let charts = 0;

// The currency most observations are in: prices in different currencies do not share an axis.
function mainCurrency(points) {
  const counts = new Map();
  for (const p of points) counts.set(p.currency, (counts.get(p.currency) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

// Each seller's lowest price of each day (UTC): a price that flickers within a day is one point, the
// low a shopper could have paid.
function dailyLows(points) {
  const lows = new Map();
  for (const p of points) {
    const key = `${p.seller || ""}\u0000${new Date(p.observed_at * 1000).toISOString().slice(0, 10)}`;
    const kept = lows.get(key);
    if (!kept || Number(p.amount) < Number(kept.amount)) lows.set(key, p);
  }
  return [...lows.values()];
}

function bySeller(points) {
  const lines = new Map();
  for (const p of points) {
    const seller = p.seller || "unknown seller";
    if (!lines.has(seller)) lines.set(seller, []);
    lines.get(seller).push(p);
  }
  for (const line of lines.values()) line.sort((a, b) => a.observed_at - b.observed_at);
  return lines;
}

function scale(from, to, [low, high]) {
  if (high === low) return () => (from + to) / 2;
  return (value) => from + ((value - low) / (high - low)) * (to - from);
}

function day(seconds) {
  return new Date(seconds * 1000).toLocaleDateString();
}

// A <figure> with the chart of `points` (observations as GET /v1/products/{id}/prices gives them).
export function priceChart(points, productName) {
  const id = `chart-${++charts}`;
  const currency = mainCurrency(points);
  const shown = points.filter((p) => p.currency === currency && Number.isFinite(Number(p.amount)));
  const lines = bySeller(dailyLows(shown));
  const amounts = shown.map((p) => Number(p.amount));
  const times = shown.map((p) => p.observed_at);
  const [low, high] = [Math.min(...amounts), Math.max(...amounts)];
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const x = scale(PAD.left, WIDTH - PAD.right, [first, last]);
  const y = scale(HEIGHT - PAD.bottom, PAD.top, [low, high]);

  const title = `Prices of ${productName} over time, per seller`;
  const description =
    `${lines.size} seller${lines.size === 1 ? "" : "s"}, ${shown.length} prices in ${currency} ` +
    `from ${day(first)} to ${day(last)}: lowest ${money(low, currency)}, highest ${money(high, currency)}.`;
  const chart = svg(
    "svg",
    {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: "img",
      "aria-labelledby": `${id}-title ${id}-desc`,
      class: "price-chart",
    },
    svg("title", { id: `${id}-title` }, title),
    svg("desc", { id: `${id}-desc` }, description),
    axes(x, y, [low, high], [first, last], currency),
  );
  const legend = el("ul", { class: "legend" });
  [...lines.entries()].forEach(([seller, line], index) => {
    const colour = COLOURS[index % COLOURS.length];
    const coords = line.map((p) => `${x(p.observed_at).toFixed(1)},${y(Number(p.amount)).toFixed(1)}`);
    const group = svg("g", { class: "seller-line", "data-seller": seller }, svg("title", {}, seller));
    group.append(svg("polyline", { points: coords.join(" "), fill: "none", stroke: colour, "stroke-width": 2 }));
    for (const c of coords) {
      const [cx, cy] = c.split(",");
      group.append(svg("circle", { cx, cy, r: 3, fill: colour }));
    }
    chart.append(group);
    const swatch = svg("svg", { viewBox: "0 0 12 12", class: "swatch", "aria-hidden": "true" });
    swatch.append(svg("rect", { width: 12, height: 12, rx: 2, fill: colour }));
    legend.append(el("li", {}, swatch, el("span", { class: "seller" }, seller)));
  });
  const figure = el("figure", { class: "chart" }, chart, legend);
  const others = points.length - shown.length;
  if (others > 0) figure.append(el("figcaption", {}, `${others} prices in other currencies are not drawn.`));
  return figure;
}

function axes(x, y, [low, high], [first, last], currency) {
  const group = svg("g", { class: "axes" });
  const bottom = HEIGHT - PAD.bottom;
  group.append(svg("line", { x1: PAD.left, y1: bottom, x2: WIDTH - PAD.right, y2: bottom, class: "axis" }));
  group.append(svg("line", { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: bottom, class: "axis" }));
  const ticks = high === low ? [low] : [low, (low + high) / 2, high];
  for (const value of ticks) {
    const at = y(value);
    group.append(svg("line", { x1: PAD.left - 4, y1: at, x2: PAD.left, y2: at, class: "axis" }));
    group.append(
      svg("text", { x: PAD.left - 8, y: at + 4, "text-anchor": "end", class: "tick" }, money(value, currency)),
    );
  }
  const dates = first === last ? [first] : [first, last];
  dates.forEach((time, i) => {
    const anchor = dates.length === 1 ? "middle" : i === 0 ? "start" : "end";
    group.append(svg("text", { x: x(time), y: bottom + 16, "text-anchor": anchor, class: "tick" }, day(time)));
  });
  group.append(
    svg("text", { x: (PAD.left + WIDTH - PAD.right) / 2, y: HEIGHT - 6, "text-anchor": "middle", class: "label" }, "Date"),
  );
  group.append(
    svg(
      "text",
      { x: 14, y: (PAD.top + bottom) / 2, "text-anchor": "middle", class: "label", transform: `rotate(-90 14 ${(PAD.top + bottom) / 2})` },
      `Price (${currency})`,
    ),
  );
  return group;
}
