/** Numbers, money, links and shapes for the popup: pure functions, no DOM. */

/** A decimal string as a number, or null when it is not one. */
export function amount(value) {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A price such as "249.99" + "USD" written for the shopper's locale; the raw text when unparsable. */
export function money(value, currency, locale) {
  const number = amount(value);
  if (number === null) return '';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(number);
  } catch {
    return `${number.toFixed(2)} ${currency || ''}`.trim();
  }
}

/** A share (0..1) as a whole percentage string such as "67%". */
export function percent(share, locale) {
  const number = amount(share);
  if (number === null) return '';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(number);
}

/** A number with a fixed count of decimals, written for the locale ("3,9" in Italian). */
export function decimal(value, digits, locale) {
  const number = amount(value);
  if (number === null) return '';
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(number);
}

/** What the shopper pays for an offer: its price plus shipping when the shop says it; null if unknown. */
export function total(offer) {
  const price = amount(offer && offer.price);
  return price === null ? null : price + (amount(offer.shipping) || 0);
}

/** The saving of buying the lowest offer instead of the current one (shipping included), or null when
 * there is none. The server's own figure (`price.saving`) wins when it sent one. */
export function saving(current, lowest, fromServer = null) {
  if (fromServer && amount(fromServer.amount) !== null) {
    const share = amount(fromServer.percent);
    return { amount: fromServer.amount, share: share === null ? null : share / 100, currency: fromServer.currency };
  }
  const now = total(current);
  const low = total(lowest);
  if (now === null || low === null || low >= now || current.currency !== lowest.currency) return null;
  return { amount: (now - low).toFixed(2), share: (now - low) / now, currency: current.currency };
}

/** The address as a link target when it is http(s), else null: other schemes are never rendered as links. */
export function safeHref(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The host name of an address, for showing where a link goes; '' when unparsable. */
export function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** SVG polyline points ("x,y x,y") for price history amounts in a width×height box, or '' under 2 points. */
export function sparkline(points, width, height, pad = 2) {
  const values = (points || []).map((p) => amount(p && p.amount)).filter((v) => v !== null);
  if (values.length < 2) return '';
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const step = (width - 2 * pad) / (values.length - 1);
  return values
    .map((v, i) => {
      const x = pad + i * step;
      const y = high === low ? height / 2 : pad + (1 - (v - low) / span) * (height - 2 * pad);
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

/** The rating out of 5 as five characters of full and empty stars, for sighted readers only. */
export function stars(rating) {
  const value = amount(rating);
  if (value === null) return '';
  const full = Math.max(0, Math.min(5, Math.round(value)));
  return '★'.repeat(full) + '☆'.repeat(5 - full);
}

/** Star distribution {"1".."5": n} as rows from 5 to 1 with their share of all ratings. */
export function distributionRows(distribution) {
  if (!distribution || typeof distribution !== 'object') return [];
  const counts = ['5', '4', '3', '2', '1'].map((star) => ({ star, count: Math.max(0, amount(distribution[star]) || 0) }));
  const total = counts.reduce((sum, row) => sum + row.count, 0);
  if (!total) return [];
  return counts.map((row) => ({ ...row, share: row.count / total }));
}

/** A short date ("2024-04-02" or ISO) for the shopper's locale; the input when unparsable. */
export function shortDate(value, locale) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

function round(n) {
  return Math.round(n * 10) / 10;
}
