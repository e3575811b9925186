/**
 * The popup's corrections at work: a line under the price and under the reviews that starts the picker in
 * the shopper's tab, and undoes or removes a correction (DELETE, then a new briefing of the page). The pick
 * itself goes from the page to the background, which keeps it and briefs the page again, so this popup may
 * close as soon as the picker runs (it does, so the shopper can point and type in the page).
 */

import { isNotProduct } from '../lib/briefing.js';
import { correctionOf, deleteCorrection, pickerWords, startPicker } from '../lib/corrections.js';
import { el, fill } from '../lib/dom.js';
import { renderCorrection } from './render/correction.js';

const FIELDS = { price: 'price', reviews: 'reviews' }; // field -> the section its line is in

/**
 * A control with one line per field, drawn into slots made after each section's body. deps: {settings,
 * fetch, scripting (chrome.scripting), tabId, refresh() (brief the page again), close() (leave the popup)}.
 */
export function correctionControl(ctx, deps) {
  const slots = {};
  const local = {}; // field -> {phase, error} of what this popup started
  let view = null;

  for (const [field, section] of Object.entries(FIELDS)) {
    const root = globalThis.document.querySelector(`[data-section="${section}"]`);
    const body = root && root.querySelector('.body');
    if (!body) continue;
    slots[field] = el('div', { class: 'correction-slot', hidden: true });
    body.after(slots[field]);
  }

  const draw = () => {
    for (const [field, slot] of Object.entries(slots)) {
      const done = view && view.phase === 'done' && !isNotProduct(view);
      slot.hidden = !done;
      if (!done) {
        fill(slot);
        continue;
      }
      const said = correctionOf(view.briefing, field);
      const error = local[field]?.error || (view.correctionError?.field === field ? view.correctionError : null);
      const state = { field, ...said, shown: shows(view.briefing, field), phase: local[field]?.phase || 'idle', error };
      fill(slot, renderCorrection(state, ctx, actions));
    }
  };
  const set = (field, next) => {
    local[field] = next;
    draw();
  };

  const actions = {
    async pick(field) {
      set(field, { phase: 'busy' });
      const started = await startPicker(deps.scripting, deps.tabId, pickerWords(field, ctx.t));
      set(field, started ? { phase: 'picking' } : { phase: 'idle', error: { kind: 'cannot_start' } });
      if (started) deps.close();
    },
    async remove(correction) {
      const field = correction.field;
      set(field, { phase: 'busy' });
      const answer = await deleteCorrection(deps.settings, deps.fetch, correction.id);
      if (!answer.ok && answer.status !== 404) return set(field, { phase: 'idle', error: answer.error });
      set(field, null);
      return deps.refresh();
    },
  };

  return {
    /** Draw the lines for a view of the tab's briefing (a new briefing ends what was being picked). */
    show(next) {
      if (next.phase !== 'done' || next.correctionError) for (const field of Object.keys(local)) local[field] = null;
      view = next;
      draw();
    },
  };
}

/** Whether the section shows a value of its own (else its line asks "Reviews missing?"). */
function shows(briefing, field) {
  const section = briefing && briefing[field];
  if (!section) return false;
  if (field === 'reviews') return section.rating != null || Boolean(section.count) || Boolean(section.analyzed);
  return Boolean(section.current);
}
