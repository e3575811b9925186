/** Server-Sent Events parsing: pure, incremental, for fetch() response bodies (no EventSource: it cannot send a token). */

/** A parser fed text chunks that calls onEvent({event, data, id}) for each complete event. */
export function createSseParser(onEvent) {
  let buffer = '';
  let event = '';
  let data = [];
  let id = '';

  /** Handle one line of the stream (without its line ending). */
  function line(text) {
    if (text === '') {
      if (data.length) onEvent({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return; // a comment, such as the server's keepalive
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event': event = value; break;
      case 'data': data.push(value); break;
      case 'id': id = value; break;
      default: break; // retry and unknown fields are ignored
    }
  }

  return {
    /** Feed a chunk of decoded text; complete lines are handled at once. */
    push(chunk) {
      buffer += chunk;
      let match;
      while ((match = /\r\n|\r|\n/.exec(buffer)) !== null) {
        // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
    /** The stream ended: a last unterminated line is handled, an incomplete event is dropped. */
    end() {
      if (buffer) line(buffer.replace(/\r$/, ''));
      buffer = '';
    },
  };
}

/** Read a ReadableStream of bytes as SSE, calling onEvent for each event with its data parsed as JSON. */
export async function readSseJson(stream, onEvent) {
  const parser = createSseParser((message) => {
    let data;
    try {
      data = JSON.parse(message.data);
    } catch {
      return; // not JSON: nothing a briefing could use
    }
    onEvent(message.event, data);
  });
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.push(decoder.decode());
  parser.end();
}
