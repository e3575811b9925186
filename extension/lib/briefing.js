/** The briefing as the popup knows it: sections arriving one by one, and what went wrong if anything did. */

/** Every section a briefing has, in the order the server computes them. */
export const SECTIONS = ['product', 'price', 'reviews', 'mentions', 'verdict', 'sources'];

/** A view of one tab's briefing before anything is known. */
export function startView(url = null) {
  return { phase: 'capturing', url, briefing: null, arrived: [], error: null, updatedAt: Date.now() };
}

/** The view after the POST answered: a running briefing (202) or a complete one (200). */
export function withStarted(view, body, complete) {
  if (complete) return withDone(view, body);
  // The product is identified before the server answers, so a product in the body is final.
  const arrived = body && body.product ? ['product'] : [];
  return { ...view, phase: 'streaming', briefing: { ...body }, arrived, updatedAt: Date.now() };
}

/** The view after a `section` event {section, data}. */
export function withSection(view, event) {
  if (!event || !SECTIONS.includes(event.section)) return view;
  const briefing = { ...(view.briefing || {}), [event.section]: event.data ?? null };
  const arrived = view.arrived.includes(event.section) ? view.arrived : [...view.arrived, event.section];
  return { ...view, briefing, arrived, updatedAt: Date.now() };
}

/** The view after `done` (or a finished briefing read some other way): every section has arrived. */
export function withDone(view, briefing) {
  return { ...view, phase: 'done', briefing: { ...briefing }, arrived: [...SECTIONS], updatedAt: Date.now() };
}

/** The view after a failure; error is {kind, detail?} with kind one of FAILURES. */
export function withError(view, error) {
  return { ...view, phase: 'error', error, updatedAt: Date.now() };
}

/** What can go wrong, each shown as its own state in the popup. */
export const FAILURES = ['unreachable', 'unauthorized', 'cannot_capture', 'rejected', 'interrupted'];

/**
 * The failure an HTTP error answer means: {kind, detail} from status and the server's error body. A 401 is
 * the server asking for its pairing code; `paired` says whether one was sent (and so was refused).
 * `pinnedOrigin` is false where the browser gives the extension an origin of its own making (Firefox's
 * moz-extension://<uuid>): the server lets such an origin in by the pairing code alone and answers 403
 * `origin_not_allowed` without a valid one, which is then a question of pairing too.
 */
export function failureOf(status, body, { paired = false, pinnedOrigin = true } = {}) {
  const error = body && typeof body.error === 'object' && body.error ? body.error : {};
  const message = typeof error.message === 'string' ? error.message : '';
  const unpinnedRefusal = status === 403 && error.code === 'origin_not_allowed' && !pinnedOrigin;
  if (status === 401 || unpinnedRefusal) return { kind: 'unauthorized', detail: message, paired: Boolean(paired) };
  // Any other refusal, 403 included, is one that no pairing code would change: the server says why.
  return { kind: 'rejected', detail: message || `HTTP ${status}` };
}

/** True once a section's data is known (shown), false while it is still awaited (skeleton). */
export function hasArrived(view, section) {
  return Boolean(view && view.arrived.includes(section));
}

/** True when the page turned out not to be a product page. */
export function isNotProduct(view) {
  return hasArrived(view, 'product') && !(view.briefing && view.briefing.product);
}

/** Sources that failed, timed out or were blocked: what makes a briefing partial. */
export function failedSources(briefing) {
  const sources = (briefing && Array.isArray(briefing.sources)) ? briefing.sources : [];
  return sources.filter((s) => ['error', 'timeout', 'blocked'].includes(s.status));
}
