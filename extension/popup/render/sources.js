/** Where the briefing came from: each source's status, and for failures and timeouts, why. */

import { el } from '../../lib/dom.js';
import { hostOf } from '../../lib/format.js';
import { labelOr } from '../../lib/i18n.js';

const PROBLEMS = ['error', 'timeout', 'blocked'];

/** Nodes for the sources section, problems first. Lateness is said in the popup's words; any other
 * error is the server's diagnostic (an address refused, a status code) and is shown as it came. */
export function renderSources(sources, { t }) {
  const list = Array.isArray(sources) ? sources : [];
  if (!list.length) return [el('p', { class: 'muted', text: t('sourcesNone') })];
  const ordered = [...list.filter((s) => PROBLEMS.includes(s.status)), ...list.filter((s) => !PROBLEMS.includes(s.status))];
  return [el('ul', { class: 'sources' }, ordered.map((s) => source(s, t)))];
}

function source(s, t) {
  const problem = PROBLEMS.includes(s.status);
  const tone = problem ? 'bad' : s.status === 'ok' ? 'good' : 'neutral';
  const time = Number.isFinite(s.elapsed_ms) ? ` · ${t('milliseconds', [s.elapsed_ms])}` : '';
  return el('li', { 'data-status': s.status },
    el('span', { class: `chip ${tone}`, text: t(`status_${s.status}`) }),
    ` ${sourceName(s, t)}`,
    s.url && hostOf(s.url) ? [' · ', el('span', { class: 'host', text: hostOf(s.url) })] : null,
    time,
    s.status === 'timeout' ? el('div', { class: 'bad', text: t('sourceLate') })
      : s.error ? el('div', { class: `${problem ? 'bad' : 'muted'} raw`, text: String(s.error) }) : null);
}

/** A source's name in the popup's words when it is one of zmot's parts; a plugin or site name as it is. */
function sourceName(s, t) {
  const name = s.name || s.plugin || '?';
  return labelOr(t, `source_${String(name).replace(/\W+/g, '_')}`, name);
}
