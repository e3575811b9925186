import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startView } from '../../extension/lib/briefing.js';
import { requestBriefing } from '../../extension/lib/client.js';

const settings = { serverUrl: 'http://127.0.0.1:8750', token: 'secret', language: 'auto' };
const body = { url: 'https://shop.test/p/1', html: '<html></html>' };

function json(status, data) {
  return new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } });
}

function sse(text) {
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

async function run(routes, runSettings = settings) {
  const calls = [];
  const views = [];
  const fetch = async (url, init = {}) => {
    calls.push({ url, init });
    const handler = routes[`${init.method || 'GET'} ${new URL(url).pathname}`];
    if (!handler) throw new TypeError('Failed to fetch');
    return handler(init);
  };
  const publish = (view) => { views.push(view); return view; };
  const last = await requestBriefing({ settings: runSettings, body, view: startView(), publish, deps: { fetch, sleep: async () => {} } });
  return { calls, views, last };
}

const started = { id: 'b1', status: 'running', product: { name: 'Kettle' }, events: '/v1/briefings/b1/events' };

test('posts the page with the token, then follows the events to done', async () => {
  const { calls, views, last } = await run({
    'POST /v1/briefings': () => json(202, started),
    'GET /v1/briefings/b1/events': () => sse(
      'event: section\ndata: {"section":"price","data":{"verdict":"fair"}}\n\n' +
      'event: done\ndata: {"id":"b1","status":"complete","product":{"name":"Kettle"},"verdict":null}\n\n'),
  });
  assert.equal(calls[0].init.headers.Authorization, 'Bearer secret');
  assert.deepEqual(JSON.parse(calls[0].init.body), body);
  assert.equal(calls[1].init.headers.Authorization, 'Bearer secret');
  assert.deepEqual(views.map((v) => v.phase), ['streaming', 'streaming', 'done']);
  assert.equal(views[1].briefing.price.verdict, 'fair');
  assert.equal(last.briefing.status, 'complete');
  assert.equal(last.transport, 'stream');
});

test('a complete briefing from the store (200) needs no stream', async () => {
  const { calls, last } = await run({ 'POST /v1/briefings': () => json(200, { id: 'b1', status: 'complete' }) });
  assert.equal(calls.length, 1);
  assert.equal(last.phase, 'done');
});

test('when the event stream cannot be read, the briefing is polled until finished', async () => {
  let polls = 0;
  const { last, views } = await run({
    'POST /v1/briefings': () => json(202, started),
    'GET /v1/briefings/b1': () => {
      polls += 1;
      return json(200, polls < 3 ? { id: 'b1', status: 'running', price: { verdict: 'high' } } : { id: 'b1', status: 'partial' });
    },
  });
  assert.equal(polls, 3);
  assert.ok(views.some((v) => v.phase === 'streaming' && v.arrived.includes('price')));
  assert.equal(last.phase, 'done');
  assert.equal(last.briefing.status, 'partial');
  assert.equal(last.transport, 'poll');
});

test('no server: unreachable, with the address tried', async () => {
  const { last } = await run({});
  assert.deepEqual(last.error, { kind: 'unreachable', detail: settings.serverUrl });
});

test('a server that wants its pairing code: unauthorized, saying whether a code was sent', async () => {
  const routes = {
    'POST /v1/briefings': () => json(401, { error: { code: 'unauthorized', message: 'a bearer token is required' } }),
  };
  const unpaired = await run(routes, { ...settings, token: '' });
  assert.equal(unpaired.calls[0].init.headers.Authorization, undefined);
  assert.deepEqual(unpaired.last.error, { kind: 'unauthorized', detail: 'a bearer token is required', paired: false });
  const refused = await run(routes);
  assert.equal(refused.last.error.kind, 'unauthorized');
  assert.equal(refused.last.error.paired, true);
});

test('a code that stops working while the briefing streams: unauthorized too', async () => {
  const { last } = await run({
    'POST /v1/briefings': () => json(202, started),
    'GET /v1/briefings/b1/events': () => json(401, { error: { code: 'unauthorized', message: 'no' } }),
  });
  assert.deepEqual(last.error, { kind: 'unauthorized', detail: '', paired: true });
});

test('a refused page: the server says why', async () => {
  const { last } = await run({
    'POST /v1/briefings': () => json(400, { error: { code: 'invalid_url', message: 'not an http(s) address' } }),
  });
  assert.deepEqual(last.error, { kind: 'rejected', detail: 'not an http(s) address' });
});

test('in Firefox, the server refusing the extension origin without a valid code asks for pairing', async () => {
  const routes = {
    'POST /v1/briefings': () => json(403, { error: { code: 'origin_not_allowed', message: 'needs the pairing code' } }),
  };
  assert.equal((await run(routes)).last.error.kind, 'rejected'); // Chromium: the origin itself is refused
  globalThis.location = new URL('moz-extension://0e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/background.html');
  try {
    assert.deepEqual((await run(routes, { ...settings, token: '' })).last.error, {
      kind: 'unauthorized', detail: 'needs the pairing code', paired: false,
    });
  } finally {
    delete globalThis.location;
  }
});
