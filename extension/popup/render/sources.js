/** Where the briefing came from: each source's status, and for failures and timeouts, why. */

import { el } from '../../lib/dom.js';
import { hostOf } from '../../lib/format.js';
import { labelOr } from '../../lib/i18n.js';
import { sayCode } from '../../lib/words.js';

const PROBLEMS = ['error', 'timeout', 'blocked'];

/** Nodes for the sources section, problems first. Why a source failed or was skipped is said in the
 * popup's words from its `error_code` (a page not about the product, a site that answered HTTP 404, a
 * robots.txt that refuses); a reason the extension has no words for is the server's text, shown as it
 * came, and a timeout without either is said as lateness. */
export function renderSources(sources, ctx) {
  const { t } = ctx;
  const list = Array.isArray(sources) ? sources : [];
  if (!list.length) return [el('p', { class: 'muted', text: t('sourcesNone') })];
  const ordered = [...list.filter((s) => PROBLEMS.includes(s.status)), ...list.filter((s) => !PROBLEMS.includes(s.status))];
  return [el('ul', { class: 'sources' }, ordered.map((s) => source(s, ctx)))];
}

function source(s, ctx) {
  const { t } = ctx;
  const problem = PROBLEMS.includes(s.status);
  const tone = problem ? 'bad' : s.status === 'ok' ? 'good' : 'neutral';
  const time = Number.isFinite(s.elapsed_ms) ? ` · ${t('milliseconds', [s.elapsed_ms])}` : '';
  return el('li', { 'data-status': s.status },
    el('span', { class: `chip ${tone}`, text: t(`status_${s.status}`) }),
    ` ${sourceName(s, t)}`,
    s.url && hostOf(s.url) ? [' · ', el('span', { class: 'host', text: hostOf(s.url) })] : null,
    time,
    why(s, problem, ctx));
}

/** Why the source failed or was skipped: the code in the popup's words, else lateness, else the text. */
function why(s, problem, ctx) {
  const said = s.error_code ? sayCode(s.error_code, ctx) : null;
  if (said) return el('div', { class: problem ? 'bad' : 'muted', text: said.charAt(0).toUpperCase() + said.slice(1) });
  if (s.status === 'timeout') return el('div', { class: 'bad', text: ctx.t('sourceLate') });
  return s.error ? el('div', { class: `${problem ? 'bad' : 'muted'} raw`, text: String(s.error) }) : null;
}

/** A source's name in the popup's words when it is one of zmot's parts; a plugin or site name as it is. */
function sourceName(s, t) {
  const name = s.name || s.plugin || '?';
  return labelOr(t, `source_${String(name).replace(/\W+/g, '_')}`, name);
}
