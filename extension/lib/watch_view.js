/**
 * The watch's rule as the shopper sets it: a form (target price, what to be told about) shared by the popup's
 * price section and the options page, and the line that says what a watch is doing.
 */

import { el } from './dom.js';
import { DEFAULT_RULES, RULES, describeRule, describeState, ruleFrom } from './watches.js';

/**
 * A form for a watch's rule, filled from `watch` (or the defaults for a new one). On submit, onSubmit(rule)
 * gets {target_price, notify_on} once the values make sense; else the form says what is missing.
 * `key` keeps the ids of several forms on one page apart.
 */
export function watchForm(watch, { t }, { submitLabel, onSubmit, onCancel, key = 'new' }) {
  const chosen = watch ? watch.notify_on || [] : DEFAULT_RULES;
  const kept = chosen.filter((rule) => !RULES.includes(rule)); // rules the form has no box for stay as they are
  const problem = el('p', { class: 'problem', role: 'alert' });
  const target = el('input', {
    id: `watch-target-${key}`, name: 'target', type: 'text', inputmode: 'decimal', autocomplete: 'off',
    value: watch && watch.target_price !== null && watch.target_price !== undefined ? String(watch.target_price) : null,
  });
  const boxes = RULES.map((rule) => el('input', { type: 'checkbox', name: 'notify', value: rule, checked: chosen.includes(rule) }));
  const cancel = el('button', { type: 'button', 'data-action': 'cancel', text: t('watchCancel') });
  const form = el('form', { class: 'watch-form', 'data-watch-form': key, novalidate: true },
    el('label', { for: `watch-target-${key}`, text: t('watchTargetLabel') }),
    target,
    el('fieldset', {},
      el('legend', { text: t('watchNotifyLabel') }),
      RULES.map((rule, i) => el('label', { class: 'check' }, boxes[i], ` ${t(`watchOn_${rule}`)}`))),
    problem,
    el('div', { class: 'watch-actions' },
      el('button', { type: 'submit', 'data-action': 'save', text: submitLabel }),
      cancel));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const asked = ruleFrom({ target: target.value, notifyOn: [...boxes.filter((b) => b.checked).map((b) => b.value), ...kept] });
    problem.textContent = asked.problem ? t(asked.problem) : '';
    target.setAttribute('aria-invalid', asked.problem === 'watchTargetInvalid' || asked.problem === 'watchTargetNeeded' ? 'true' : 'false');
    if (asked.rule) onSubmit(asked.rule);
  });
  cancel.addEventListener('click', () => onCancel());
  return form;
}

/** What a watch is doing, in two lines: its rule, then its last price or why it has none. */
export function watchSummary(watch, ctx) {
  return [
    el('p', { class: 'watch-rule', text: describeRule(watch, ctx) }),
    el('p', { class: `watch-state${watch.status === 'blocked' ? ' bad' : ' muted'}`, 'data-status': watch.status || 'pending', text: describeState(watch, ctx) }),
  ];
}
