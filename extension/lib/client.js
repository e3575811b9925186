/** Talking to the zmot server: post a captured page, follow the briefing's events, fall back to polling. */

import { failureOf, withDone, withError, withSection, withStarted } from './briefing.js';
import { readSseJson } from './sse.js';
import { apiHeaders, apiUrl } from './settings.js';

const POLL_MS = 300;
const MAX_POLLS = 200; // a minute at most; the server's own deadline is a few seconds

/**
 * Ask the server for a briefing and report each new view through publish(view); returns the last view.
 * deps: {fetch, sleep?} so tests can stand in for the network.
 */
export async function requestBriefing({ settings, body, view, publish, deps }) {
  const fetchFn = deps.fetch;
  let response;
  try {
    response = await fetchFn(apiUrl(settings.serverUrl, '/v1/briefings'), {
      method: 'POST',
      headers: apiHeaders(settings.token, true),
      body: JSON.stringify(body),
    });
  } catch (error) {
    return publish(withError(view, { kind: 'unreachable', detail: settings.serverUrl }));
  }
  const answer = await response.json().catch(() => null);
  if (!response.ok) return publish(withError(view, refusal(settings, response.status, answer)));
  if (!answer || typeof answer !== 'object') {
    return publish(withError(view, { kind: 'rejected', detail: 'the server did not answer with JSON' }));
  }
  let current = publish(withStarted(view, answer, response.status === 200 || answer.status !== 'running'));
  if (current.phase === 'done') return current;
  current = await follow({ settings, answer, view: current, publish, fetchFn });
  if (current.phase === 'done' || current.phase === 'error') return current;
  return poll({ settings, id: answer.id, view: current, publish, fetchFn, sleep: deps.sleep || delay });
}

/** Follow the SSE stream; returns the view when it ends, done or not (the caller then polls). */
async function follow({ settings, answer, view, publish, fetchFn }) {
  const path = typeof answer.events === 'string' ? answer.events : `/v1/briefings/${answer.id}/events`;
  let current = view;
  try {
    const response = await fetchFn(apiUrl(settings.serverUrl, path), { headers: apiHeaders(settings.token) });
    if (response.status === 401) return publish(withError(current, refusal(settings, 401, null)));
    if (!response.ok || !response.body) return current;
    current = { ...current, transport: 'stream' }; // which way the briefing came, for diagnostics
    await readSseJson(response.body, (event, data) => {
      if (event === 'section') current = publish(withSection(current, data));
      else if (event === 'done') current = publish(withDone(current, data));
    });
  } catch {
    // The stream could not be read (no host permission for a server whose events carry no CORS
    // headers, or the connection dropped): polling the briefing gives the same answer, later.
  }
  return current;
}

/** Read the briefing until it is finished. */
async function poll({ settings, id, view: started, publish, fetchFn, sleep }) {
  let view = { ...started, transport: 'poll' };
  for (let i = 0; i < MAX_POLLS; i += 1) {
    let response;
    try {
      response = await fetchFn(apiUrl(settings.serverUrl, `/v1/briefings/${id}`), {
        headers: apiHeaders(settings.token, true),
      });
    } catch {
      return publish(withError(view, { kind: 'interrupted', detail: settings.serverUrl }));
    }
    const briefing = await response.json().catch(() => null);
    if (!response.ok) return publish(withError(view, refusal(settings, response.status, briefing)));
    if (briefing && briefing.status && briefing.status !== 'running') return publish(withDone(view, briefing));
    view = withKnownSections(view, briefing);
    publish(view);
    await sleep(POLL_MS);
  }
  return publish(withError(view, { kind: 'interrupted', detail: settings.serverUrl }));
}

/** A running briefing's finished sections (those with data) marked as arrived. */
function withKnownSections(view, briefing) {
  let current = view;
  for (const section of ['price', 'reviews', 'mentions', 'verdict']) {
    if (briefing && briefing[section]) current = withSection(current, { section, data: briefing[section] });
  }
  return current;
}

/** The failure an error answer means, knowing whether a pairing code went with the request. */
function refusal(settings, status, body) {
  // Chromium's extension origin is fixed by the manifest's key; Firefox makes one up per installation.
  const pinnedOrigin = globalThis.location?.protocol !== 'moz-extension:';
  return failureOf(status, body, { paired: Boolean(settings.token), pinnedOrigin });
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
