/** The verdict at a glance: label, score ring, one-sentence summary, up to three reasons. */

import { el, svg } from '../../lib/dom.js';
import { verdictColor, verdictLabel, verdictScore } from '../../lib/verdict.js';

const RADIUS = 20;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** Nodes for a verdict {label, score, reasons, summary}, or a calm note when there is none. */
export function renderVerdict(verdict, { t }) {
  if (!verdict) return [el('p', { class: 'muted', 'data-state': 'unavailable', text: t('verdictUnavailable') })];
  const label = verdictLabel(verdict);
  const score = verdictScore(verdict);
  const reasons = (Array.isArray(verdict.reasons) ? verdict.reasons : []).slice(0, 3);
  return [
    el('div', { class: 'verdict' },
      score === null ? null : ring(score, verdictColor(label), t('scoreOf', [score])),
      el('div', {},
        el('p', { class: 'label', 'data-label': label, style: `color: ${verdictColor(label)}`, text: t(`verdict_${label}`) }),
        verdict.summary ? el('p', { class: 'summary', text: String(verdict.summary) }) : null)),
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
