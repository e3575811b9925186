/** The price: current offer, the lowest elsewhere with its saving, a history sparkline, the price verdict. */

import { el, link, svg } from '../../lib/dom.js';
import { amount, hostOf, money, percent, saving, sparkline } from '../../lib/format.js';
import { priceTone } from '../../lib/verdict.js';
import { saySentences } from '../../lib/words.js';

/** Nodes for a price section. */
export function renderPrice(price, ctx) {
  const { t, locale } = ctx;
  if (!price || !price.current) return [el('p', { class: 'muted', text: t('priceNone') })];
  const { current, lowest, history } = price;
  const verdict = price.verdict || 'unknown';
  const reason = saySentences(price.reason_codes, ctx) ?? price.reason;
  return [
    el('p', {},
      el('span', { class: 'big current-price', text: money(current.price, current.currency, locale) }),
      ' ',
      el('span', { class: 'muted', text: [current.seller, current.availability && current.availability !== 'unknown' ? t(`availability_${current.availability}`) : ''].filter(Boolean).join(' · ') })),
    lowestLine(current, lowest, price.saving, t, locale),
    historyChart(history, t, locale, current.currency),
    el('p', {},
      el('span', { class: `chip ${priceTone(verdict)}`, 'data-verdict': verdict, text: t(`price_${verdict}`) }),
      reason ? el('span', { class: 'muted reason', text: ` ${reason}` }) : null),
    discountLine(price.discount, ctx),
  ];
}

/** Is the shop's reduction real? The server's finding, in the popup's language where it has it. */
export function discountLine(discount, { t, locale }) {
  if (!discount || !discount.reason) return null;
  const lang = String(locale || '').slice(0, 2).toLowerCase();
  const words = (discount.words && typeof discount.words[lang] === 'string') ? discount.words[lang] : discount.reason;
  const tone = discount.code === 'inflated' ? 'bad' : discount.code === 'genuine' ? 'good' : 'muted';
  return el('p', { class: `discount ${tone}`, 'data-discount': String(discount.code) },
    el('strong', { text: `${t(`discount_${discount.code === 'inflated' || discount.code === 'genuine' ? discount.code : 'unknown'}`)} ` }),
    words);
}

/** "Lowest elsewhere: X at seller, save Y (Z%)", or nothing when this is already the lowest. */
function lowestLine(current, lowest, fromServer, t, locale) {
  const save = saving(current, lowest, fromServer);
  if (!save || !lowest) return el('p', { class: 'muted lowest', text: t('priceIsLowest') });
  const where = lowest.seller || hostOf(lowest.url) || t('anotherShop');
  const shipping = amount(lowest.shipping);
  return el('p', { class: 'lowest' },
    `${t('lowestElsewhere')} `,
    el('strong', { text: money(lowest.price, lowest.currency, locale) }),
    shipping ? ` ${t('plusShipping', [money(lowest.shipping, lowest.currency, locale)])}` : '',
    ' ',
    link(lowest.url, t('atSeller', [where])),
    el('span', { class: 'good', text: ` ${t('saveAmount', [money(save.amount, save.currency, locale), percent(save.share, locale)])}` }));
}

/** A sparkline of the history points with its low and high, when there are at least two points. */
function historyChart(history, t, locale, currency) {
  const points = sparkline(history && history.points, 160, 32);
  if (!points) return null;
  const label = t('historyLabel', [history.points.length, money(history.low, currency, locale), money(history.high, currency, locale)]);
  return el('div', { class: 'history' },
    svg('svg', { class: 'spark', width: 160, height: 32, viewBox: '0 0 160 32', role: 'img', 'aria-label': label },
      svg('polyline', { points })),
    el('p', { class: 'muted', text: label }));
}
