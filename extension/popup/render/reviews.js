/** The reviews: rating, star distribution, sentiment, pros and cons with quotes, trust. */

import { el } from '../../lib/dom.js';
import { decimal, distributionRows, percent, stars } from '../../lib/format.js';
import { labelOr } from '../../lib/i18n.js';
import { gradeTone } from '../../lib/verdict.js';
import { sayCode } from '../../lib/words.js';

/** Nodes for a reviews section. */
export function renderReviews(reviews, ctx) {
  const { t, locale } = ctx;
  if (!reviews || (reviews.rating == null && !reviews.count && !reviews.analyzed)) {
    return [el('p', { class: 'muted', text: t('reviewsNone') })];
  }
  return [
    rating(reviews, t, locale),
    distribution(reviews.distribution, t, locale),
    sentiment(reviews.sentiment, reviews.analyzed, t, locale),
    aspects(reviews.pros, reviews.cons, t),
    trust(reviews.trust, ctx),
    highlights(reviews.highlights, t),
  ];
}

function rating(reviews, t, locale) {
  if (reviews.rating == null) return el('p', { class: 'muted', text: t('ratingCount', [reviews.count || 0]) });
  const value = decimal(reviews.rating, 1, locale);
  return el('p', { class: 'rating' },
    el('span', { class: 'stars', 'aria-hidden': 'true', text: stars(reviews.rating) }), ' ',
    el('span', { class: 'big rating-value', text: t('ratingOutOf', [value]) }), ' ',
    el('span', { class: 'muted', text: t('ratingCount', [reviews.count || 0]) }));
}

function distribution(dist, t, locale) {
  const rows = distributionRows(dist);
  if (!rows.length) return null;
  return el('div', { class: 'bars', role: 'list', 'aria-label': t('distributionLabel') },
    rows.map((row) => [
      el('span', { text: `${row.star}★`, 'aria-hidden': 'true' }),
      el('span', { class: 'bar', role: 'listitem', 'aria-label': t('starShare', [row.star, percent(row.share, locale)]) },
        el('span', { style: `width: ${(row.share * 100).toFixed(1)}%` })),
      el('span', { class: 'muted', text: percent(row.share, locale), 'aria-hidden': 'true' }),
    ]));
}

function sentiment(shares, analyzed, t, locale) {
  if (!shares) return null;
  const text = t('sentimentShares', [percent(shares.positive, locale), percent(shares.neutral, locale), percent(shares.negative, locale)]);
  return el('div', { class: 'sentiment' },
    el('div', { class: 'stack', 'aria-hidden': 'true' },
      el('span', { class: 'pos', style: `width: ${share(shares.positive)}%` }),
      el('span', { class: 'neu', style: `width: ${share(shares.neutral)}%` }),
      el('span', { class: 'neg', style: `width: ${share(shares.negative)}%` })),
    el('p', { class: 'muted', text: `${text} · ${t('analyzedCount', [analyzed || 0])}` }));
}

/** An aspect's name in the shopper's language where the server knows it (`label`), else as reviewers wrote it;
 * a name or quote in another language carries its `lang`, so that it is read out in that language. */
function aspects(pros, cons, t) {
  const name = (a) => String(a.label ?? a.aspect);
  const lang = (code) => (typeof code === 'string' && /^[a-z]{2,3}$/.test(code) && code !== t.language ? { lang: code } : {});
  const list = (items, kind) => el('div', { class: kind, 'data-aspects': kind },
    el('h3', { class: kind === 'pros' ? 'good' : 'bad', text: t(kind === 'pros' ? 'pros' : 'cons') }),
    items.length
      ? el('ul', {}, items.slice(0, 5).map((a) => el('li', {},
        el('span', { text: a.mentions ? `${name(a)} (${a.mentions})` : name(a), ...lang(a.label_language ?? a.language) }),
        (a.quotes || []).slice(0, 1).map((q) => el('blockquote', { text: String(q), ...lang(a.language) })))))
      : el('p', { class: 'muted', text: t('noneFound') }));
  const p = Array.isArray(pros) ? pros : [];
  const c = Array.isArray(cons) ? cons : [];
  return el('div', { class: 'columns aspects' }, list(p, 'pros'), list(c, 'cons'));
}

function trust(info, ctx) {
  const { t } = ctx;
  if (!info) return el('p', { class: 'muted trust', text: t('trustUnavailable') });
  const signals = Array.isArray(info.signals) ? info.signals : [];
  return el('div', { class: 'trust' },
    el('p', {},
      `${t('trustGrade')} `,
      el('span', { class: `grade ${gradeTone(info.grade)}`, text: String(info.grade || '?') }),
      info.adjusted_rating != null ? el('span', { class: 'muted', text: ` · ${t('adjustedRating', [decimal(info.adjusted_rating, 1, ctx.locale)])}` }) : null),
    signals.length ? el('ul', {}, signals.map((s) => el('li', { 'data-signal': s.name, text: signalText(s, ctx) }))) : null);
}

/** "Near-copies: 4 reviews are near-copies of one another.", said from the signal's values when it has them. */
function signalText(signal, ctx) {
  const said = signal.values && sayCode({ code: `trust_${signal.name}`, values: signal.values }, ctx);
  const detail = said ? `${said}.` : signal.detail;
  return [labelOr(ctx.t, `signal_${signal.name}`, signal.name), detail].filter(Boolean).join(': ');
}

function highlights(quotes, t) {
  if (!Array.isArray(quotes) || !quotes.length) return null;
  return el('div', { class: 'highlights' },
    el('h3', { text: t('highlights') }),
    quotes.slice(0, 3).map((q) => el('blockquote', { text: String(q) })));
}

function share(value) {
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(0, Math.min(100, n * 100)).toFixed(1) : '0';
}
