import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createSseParser, readSseJson } from '../../extension/lib/sse.js';

function collect(chunks) {
  const events = [];
  const parser = createSseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

test('events split anywhere across chunks come out whole', () => {
  const text = 'event: section\ndata: {"section":"price"}\n\nevent: done\ndata: {"id":"1"}\n\n';
  for (let cut = 1; cut < text.length; cut += 1) {
    const events = collect([text.slice(0, cut), text.slice(cut)]);
    assert.deepEqual(events.map((e) => [e.event, e.data]), [['section', '{"section":"price"}'], ['done', '{"id":"1"}']]);
  }
});

test('CRLF and CR line endings, comments and multi-line data', () => {
  const events = collect([': keepalive\r\n\r\ndata: a\r', '\ndata: b\r\rid: 7\nevent: x\ndata:c\n\n']);
  assert.deepEqual(events, [{ event: 'message', data: 'a\nb', id: '' }, { event: 'x', data: 'c', id: '7' }]);
});

test('a keepalive comment alone makes no event, an unfinished event is dropped at the end', () => {
  assert.deepEqual(collect([': keepalive\n\n', 'event: section\ndata: {}']), []);
});

test('readSseJson reads a byte stream, parsing each data as JSON and skipping what is not', async () => {
  const bytes = new TextEncoder().encode('event: section\ndata: {"section":"reviews","data":{"rating":3.9}}\n\ndata: nope\n\nevent: done\ndata: {"status":"complete"}\n\n');
  const stream = new ReadableStream({
    start(controller) {
      // One multi-byte-safe split in the middle of the stream.
      controller.enqueue(bytes.slice(0, 20));
      controller.enqueue(bytes.slice(20));
      controller.close();
    },
  });
  const seen = [];
  await readSseJson(stream, (event, data) => seen.push([event, data]));
  assert.deepEqual(seen, [['section', { section: 'reviews', data: { rating: 3.9 } }], ['done', { status: 'complete' }]]);
});

test('a UTF-8 character split between chunks is decoded whole', async () => {
  const bytes = new TextEncoder().encode('data: {"q":"caffè €"}\n\n');
  const stream = new ReadableStream({
    start(c) {
      for (const b of bytes) c.enqueue(new Uint8Array([b]));
      c.close();
    },
  });
  const seen = [];
  await readSseJson(stream, (event, data) => seen.push(data.q));
  assert.deepEqual(seen, ['caffè €']);
});
