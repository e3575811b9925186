/** The states that replace a briefing: server unreachable, unauthorized, page unreadable, rejected. */

import { el } from '../../lib/dom.js';

/** Nodes explaining an error {kind, detail}, with the way out it needs. */
export function renderNotice(error, { t, openOptions }) {
  switch (error.kind) {
    case 'unreachable':
    case 'interrupted':
      return [
        el('p', { class: 'notice-title', text: t(error.kind === 'unreachable' ? 'unreachableTitle' : 'interruptedTitle', [error.detail || '']) }),
        el('p', {}, `${t('unreachableHelp')} `, el('code', { text: 'zmot serve' })),
      ];
    case 'unauthorized':
      return [
        el('p', { class: 'notice-title', text: t('unauthorizedTitle') }),
        el('p', { text: t('unauthorizedHelp') }),
        el('button', { type: 'button', 'data-action': 'options', text: t('openOptions') }),
      ].map((node) => (node.dataset && node.dataset.action ? withClick(node, openOptions) : node));
    case 'cannot_capture':
      return [el('p', { class: 'notice-title', text: t('cannotCaptureTitle') }), el('p', { text: t('cannotCaptureHelp') })];
    default:
      return [el('p', { class: 'notice-title', text: t('rejectedTitle') }), el('p', { text: String(error.detail || '') })];
  }
}

/** The note shown for a page that is not a product page. */
export function renderNotProduct({ t }) {
  return [el('p', { class: 'notice-title', text: t('notProductTitle') }), el('p', { text: t('notProductHelp') })];
}

/** The note shown over a partial briefing. */
export function renderPartial(count, { t }) {
  return [el('p', { text: t('partialNote', [count]) })];
}

function withClick(node, handler) {
  node.addEventListener('click', handler);
  return node;
}
