/**
 * The correction line of a section: "Not the right price?" (or "Reviews missing?" / "Not the reviews?")
 * to point at the right element in the page; "Price from your correction" with Undo once one is applied; a
 * notice with "Pick again" and "Remove" when the shop's layout changed and the correction no longer matches.
 */

import { el } from '../../lib/dom.js';

/**
 * Nodes for one field's correction line. state: {field, state: "none"|"applied"|"stale", correction,
 * shown (the section shows a value of its own), phase: "idle"|"busy"|"picking", error}.
 * actions: {pick(field), remove(correction)}.
 */
export function renderCorrection(state, ctx, actions) {
  const { t } = ctx;
  const words = wordsFor(state.field, t);
  const root = el('div', {
    class: 'correction', 'data-correction': state.field, 'data-state': stateName(state), 'data-source': state.source || null,
  });
  if (state.phase === 'busy') {
    root.append(el('p', { class: 'muted', text: t('correctionBusy') }));
  } else if (state.state === 'applied') {
    root.append(el('p', { class: 'muted correction-applied' },
      el('span', { class: 'chip good', text: words.applied }), ' ',
      button('undo', t('correctionUndo'), () => actions.remove(state.correction))));
  } else if (state.state === 'stale') {
    root.append(
      el('p', { class: 'bad correction-stale', text: words.stale }),
      el('p', {},
        button('pick-again', t('correctionPickAgain'), () => actions.pick(state.field)), ' ',
        button('remove', t('correctionRemove'), () => actions.remove(state.correction))));
  } else {
    root.append(el('p', {}, button('pick', state.shown === false ? words.missing : words.ask, () => actions.pick(state.field))));
  }
  if (state.phase === 'picking') root.append(el('p', { class: 'muted correction-picking', role: 'status', text: t('correctionPicking') }));
  if (state.error) root.append(el('p', { class: 'bad correction-error', role: 'alert', text: errorText(state.error, t) }));
  return root;
}

function stateName(state) {
  return state.phase === 'picking' || state.phase === 'busy' ? state.phase : state.state;
}

/** The words of a field: how to ask, what an applied and a stale correction say. */
function wordsFor(field, t) {
  if (field === 'reviews') {
    return {
      ask: t('correctReviews'), missing: t('correctReviewsMissing'),
      applied: t('correctionAppliedReviews'), stale: t('correctionStaleReviews'),
    };
  }
  return { ask: t('correctPrice'), missing: t('correctPrice'), applied: t('correctionAppliedPrice'), stale: t('correctionStalePrice') };
}

/** Why a correction could not be kept, started or removed, with the server's own message when it gave one. */
function errorText(error, t) {
  if (error.kind === 'cannot_start') return t('correctionCannotStart');
  const title = error.kind === 'unreachable' ? t('watchUnreachable') : error.kind === 'unauthorized' ? t('pairingNeededTitle') : t('correctionFailed');
  return error.kind === 'rejected' && error.detail ? `${title} ${error.detail}` : title;
}

function button(action, label, onClick) {
  const node = el('button', { type: 'button', 'data-action': action, text: label });
  node.addEventListener('click', () => onClick());
  return node;
}
