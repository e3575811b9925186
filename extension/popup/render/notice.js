/** The states that replace a briefing: server unreachable, pairing needed, page unreadable, rejected. */

import { el } from '../../lib/dom.js';
import { noticeFor } from '../../lib/notices.js';

/** Nodes explaining an error {kind, detail?, paired?}, with the way out it needs. */
export function renderNotice(error, { t, openOptions }) {
  const notice = noticeFor(error);
  const nodes = [el('p', { class: 'notice-title', text: t(notice.title, notice.titleArgs) })];
  if (notice.help && notice.command) nodes.push(el('p', {}, `${t(notice.help)} `, el('code', { text: notice.command })));
  else if (notice.help) nodes.push(el('p', { text: t(notice.help) }));
  if (notice.detail !== undefined) nodes.push(el('p', { text: notice.detail }));
  if (notice.action) {
    const button = el('button', { type: 'button', 'data-action': 'options', text: t(notice.action) });
    button.addEventListener('click', openOptions);
    nodes.push(button);
  }
  return nodes;
}

/** The note shown for a page that is not a product page. */
export function renderNotProduct({ t }) {
  return [el('p', { class: 'notice-title', text: t('notProductTitle') }), el('p', { text: t('notProductHelp') })];
}

/** The note shown over a partial briefing. */
export function renderPartial(count, { t }) {
  return [el('p', { text: t('partialNote', [count]) })];
}
