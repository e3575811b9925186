/** Verdict and price-verdict labels: the colors and tones the popup and the badge give them. */

/** Verdict labels the server may send; anything else is shown as unknown. */
export const VERDICT_LABELS = ['buy', 'consider', 'wait', 'avoid', 'unknown'];

/** Badge and ring colors per verdict label (dark enough for white badge text). */
const COLORS = { buy: '#1b7f3b', consider: '#2f6fb3', wait: '#a15c00', avoid: '#b3261e', unknown: '#5f6368' };

/** The label to show for a verdict: one of VERDICT_LABELS. */
export function verdictLabel(verdict) {
  const label = verdict && verdict.label;
  return VERDICT_LABELS.includes(label) ? label : 'unknown';
}

/** The verdict's score clamped to 0..100, or null when there is none. */
export function verdictScore(verdict) {
  const score = verdict && Number(verdict.score);
  if (verdict === null || verdict === undefined || verdict.score === null || !Number.isFinite(score)) return null;
  return Math.max(0, Math.min(100, Math.round(score)));
}

/** The color of a verdict label. */
export function verdictColor(label) {
  return COLORS[label] || COLORS.unknown;
}

/** What the icon's badge shows after a briefing: {text, color}; empty text when there is no verdict. */
export function badgeFor(verdict) {
  const score = verdictScore(verdict);
  if (score === null) return { text: '', color: COLORS.unknown };
  return { text: String(score), color: verdictColor(verdictLabel(verdict)) };
}

/** Tone of a price verdict: good, neutral or bad, for its chip. */
export function priceTone(verdict) {
  return { good_deal: 'good', fair: 'neutral', high: 'bad' }[verdict] || 'neutral';
}

/** Tone of a trust grade A..F. */
export function gradeTone(grade) {
  if (grade === 'A' || grade === 'B') return 'good';
  if (grade === 'C') return 'neutral';
  return grade === 'D' || grade === 'E' || grade === 'F' ? 'bad' : 'neutral';
}

/** Tone of a sentiment value (a compound -1..1, or a label). */
export function sentimentTone(sentiment) {
  if (typeof sentiment === 'string') return { positive: 'good', negative: 'bad' }[sentiment] || 'neutral';
  const value = Number(sentiment);
  if (!Number.isFinite(value)) return 'neutral';
  return value >= 0.05 ? 'good' : value <= -0.05 ? 'bad' : 'neutral';
}
