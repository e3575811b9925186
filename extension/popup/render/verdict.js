/** The verdict at a glance: label, score ring, one-sentence summary, up to three reasons. */

import { el, svg } from '../../lib/dom.js';
import { verdictColor, verdictLabel, verdictScore } from '../../lib/verdict.js';
import { sayCode } from '../../lib/words.js';

const RADIUS = 20;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/**
 * Nodes for a verdict {label, score, reasons, summary}, or a calm note when there is none. Reasons and
 * summary are said from their codes in the popup's language; the server's words where a code is unknown.
 */
export function renderVerdict(verdict, ctx) {
  const { t } = ctx;
  if (!verdict) return [el('p', { class: 'muted', 'data-state': 'unavailable', text: t('verdictUnavailable') })];
  const label = verdictLabel(verdict);
  const score = verdictScore(verdict);
  const codes = Array.isArray(verdict.reason_codes) ? verdict.reason_codes : [];
  const reasons = (Array.isArray(verdict.reasons) ? verdict.reasons : []).slice(0, 3)
    .map((words, i) => (codes[i] && sayCode(codes[i], ctx)) ?? words);
  const summary = (verdict.summary_code && sayCode(verdict.summary_code, ctx)) ?? verdict.summary;
  return [
    el('div', { class: 'verdict' },
      score === null ? null : ring(score, verdictColor(label), t('scoreOf', [score])),
      el('div', {},
        el('p', { class: 'label', 'data-label': label, text: t(`verdict_${label}`) }),
        summary ? el('p', { class: 'summary', text: String(summary) }) : null)),
    reasons.length ? el('ul', { class: 'reasons' }, reasons.map((r) => el('li', { text: String(r) }))) : null,
  ];
}

/** The score as a colored ring with its number in the middle. */
function ring(score, color, name) {
  const shown = (score / 100) * CIRCUMFERENCE;
  return svg('svg', { class: 'ring', width: 52, height: 52, viewBox: '0 0 52 52', role: 'img', 'aria-label': name },
    svg('circle', { class: 'track', cx: 26, cy: 26, r: RADIUS, fill: 'none', 'stroke-width': 5 }),
    svg('circle', {
      cx: 26, cy: 26, r: RADIUS, fill: 'none', stroke: color, 'stroke-width': 5, 'stroke-linecap': 'round',
      'stroke-dasharray': `${shown.toFixed(1)} ${CIRCUMFERENCE.toFixed(1)}`, transform: 'rotate(-90 26 26)',
    }),
    svg('text', { x: 26, y: 31, 'text-anchor': 'middle', 'aria-hidden': 'true', text: String(score) }));
}
