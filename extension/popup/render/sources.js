/** Where the briefing came from: each source's status, and for failures and timeouts, why. */

import { el } from '../../lib/dom.js';

const PROBLEMS = ['error', 'timeout', 'blocked'];

/** Nodes for the sources section, problems first. */
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
    ` ${s.name || s.plugin || '?'}${time}`,
    s.error ? el('div', { class: problem ? 'bad' : 'muted', text: String(s.error) }) : null);
}
