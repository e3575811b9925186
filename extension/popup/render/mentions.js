/** What the web says: each mention with its site, date, kind, a sentiment mark and a sponsored flag. */

import { el, link } from '../../lib/dom.js';
import { hostOf, shortDate } from '../../lib/format.js';
import { labelOr } from '../../lib/i18n.js';
import { sentimentTone } from '../../lib/verdict.js';

const MARKS = { good: '+', bad: '−', neutral: '·' };

/** Nodes for a mentions section; why there are none comes from the mentions source, when it says. */
export function renderMentions(mentions, { t, locale }, sources = []) {
  const items = mentions && Array.isArray(mentions.items) ? mentions.items : [];
  if (!items.length) {
    const source = (sources || []).find((s) => s.name === 'mentions' && s.error);
    return [el('p', { class: 'muted', 'data-state': 'empty', text: t('mentionsNone') }),
      // The server's own diagnostic (a setting, a refusal): shown as it wrote it.
      source ? el('p', { class: 'muted raw', text: String(source.error) }) : null];
  }
  return [el('ul', { class: 'mentions' }, items.map((m) => mention(m, t, locale)))];
}

function mention(m, t, locale) {
  const tone = sentimentTone(m.sentiment && typeof m.sentiment === 'object' ? m.sentiment.compound ?? m.sentiment.label : m.sentiment);
  const kind = m.kind ? labelOr(t, `kind_${m.kind}`, m.kind) : '';
  const said = [shortDate(m.date || m.published, locale), kind].filter(Boolean).join(' · ');
  const site = m.site || hostOf(m.url);
  return el('li', { class: 'mention' },
    el('span', { class: tone, role: 'img', 'aria-label': t(`tone_${tone}`), text: `${MARKS[tone]} ` }),
    link(m.url, String(m.title || m.url || '')),
    m.sponsored ? el('span', { class: 'chip bad', text: t('sponsored') }) : null,
    el('div', { class: 'mention-meta' },
      site ? el('span', { class: 'host', text: site }) : null, site && said ? ` · ${said}` : said),
    m.snippet ? el('blockquote', { text: String(m.snippet) }) : null);
}
