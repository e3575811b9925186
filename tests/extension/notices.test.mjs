import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { FAILURES, failureOf } from '../../extension/lib/briefing.js';
import { translate } from '../../extension/lib/i18n.js';
import { noticeFor } from '../../extension/lib/notices.js';

const messages = Object.fromEntries(['en', 'it', 'fr'].map((lang) => [
  lang,
  JSON.parse(readFileSync(new URL(`../../extension/_locales/${lang}/messages.json`, import.meta.url), 'utf8')),
]));

/** The notice's words as a shopper reading `lang` sees them. */
function words(error, lang) {
  const notice = noticeFor(error);
  const t = (key, subs) => translate(messages[lang], {}, key, subs);
  return [t(notice.title, notice.titleArgs), notice.help ? t(notice.help) : '', notice.command || '', notice.action ? t(notice.action) : ''].join(' ');
}

test('a server asking for its code says plainly that zmot needs pairing, with a way to the options', () => {
  const notice = noticeFor(failureOf(401, { error: { message: 'a valid token is needed' } }));
  assert.equal(notice.title, 'pairingNeededTitle');
  assert.equal(notice.action, 'pairingAction');
  assert.equal(notice.command, 'zmot token');
  assert.match(words(failureOf(401, null), 'en'), /zmot needs pairing.*pairing code.*zmot token.*Enter the pairing code/);
  assert.match(words(failureOf(401, null), 'it'), /associato.*codice di associazione/);
  assert.match(words(failureOf(401, null), 'fr'), /appairé.*code d'appairage/);
});

test('a saved code the server refuses is named as such, with the same way out', () => {
  const notice = noticeFor(failureOf(401, null, { paired: true }));
  assert.equal(notice.title, 'pairingRefusedTitle');
  assert.equal(notice.action, 'pairingAction');
  assert.match(words(failureOf(401, null, { paired: true }), 'en'), /did not accept the pairing code/);
});

test('other failures send nobody to pairing', () => {
  assert.equal(noticeFor({ kind: 'unreachable', detail: 'http://127.0.0.1:8750' }).command, 'zmot serve');
  assert.deepEqual(noticeFor({ kind: 'unreachable', detail: 'http://h' }).titleArgs, ['http://h']);
  assert.equal(noticeFor({ kind: 'interrupted' }).title, 'interruptedTitle');
  assert.equal(noticeFor({ kind: 'cannot_capture' }).action, undefined);
  assert.deepEqual(noticeFor(failureOf(403, { error: { message: 'this origin may not call zmot' } })), {
    title: 'rejectedTitle', detail: 'this origin may not call zmot',
  });
  assert.equal(noticeFor(null).title, 'rejectedTitle');
  for (const kind of FAILURES.filter((k) => k !== 'unauthorized')) {
    assert.doesNotMatch(words({ kind }, 'en'), /pairing/i, kind);
  }
});

test('every message a notice can name exists in English, Italian and French', () => {
  const errors = [...FAILURES.map((kind) => ({ kind })), { kind: 'unauthorized', paired: true }];
  for (const error of errors) {
    const notice = noticeFor(error);
    for (const key of [notice.title, notice.help, notice.action].filter(Boolean)) {
      for (const lang of Object.keys(messages)) assert.ok(messages[lang][key], `${lang}: missing ${key}`);
    }
  }
});
