/**
 * A server-sent-events decoder: text in, `data` payloads out. Tolerates CRLF, comments (keep-alives),
 * multi-line data and events split across network chunks. Pure; the network module feeds it.
 */
export interface SseDecoder {
  /** Feeds decoded text; returns the data payloads of every event completed by it. */
  push(text: string): string[];
  /** Ends the input; returns a last event not followed by a blank line, if any. */
  end(): string[];
}

export function createSseDecoder(): SseDecoder {
  let buffer = '';
  let data: string[] = [];

  function takeLine(line: string, out: string[]) {
    if (line === '') {
      if (data.length) out.push(data.join('\n'));
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
  }

  return {
    push(text) {
      buffer += text;
      const out: string[] = [];
      let newline: number;
      while ((newline = buffer.search(/\r\n|\n|\r/)) !== -1) {
        // A lone \r at the very end may be the first half of \r\n: wait for more input.
        if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        takeLine(line, out);
      }
      return out;
    },
    end() {
      const out: string[] = [];
      if (buffer) takeLine(buffer.replace(/\r$/, ''), out);
      buffer = '';
      takeLine('', out);
      return out;
    },
  };
}
