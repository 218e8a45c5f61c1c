import { describe, expect, it } from 'vitest';
import { createSseDecoder } from './sse.js';
import { createStopFilter } from './stop-filter.js';

describe('SSE decoder', () => {
  it('joins multi-line data, skips comments and other fields, and handles a CRLF split between chunks', () => {
    const d = createSseDecoder();
    expect(d.push('event: x\r')).toEqual([]);
    expect(d.push('\ndata: a\r\ndata:b\r\n: ping\r\n')).toEqual([]);
    expect(d.push('\r\ndata: [DONE]\n\n')).toEqual(['a\nb', '[DONE]']);
  });

  it('returns a last event that was not followed by a blank line at the end', () => {
    const d = createSseDecoder();
    expect(d.push('data: tail')).toEqual([]);
    expect(d.end()).toEqual(['tail']);
  });
});

describe('stop filter', () => {
  it('holds back a possible stop prefix and releases it when it turns out not to be one', () => {
    const f = createStopFilter(['<|end|>']);
    expect(f.push('abc<|e')).toEqual({ text: 'abc', stopped: false });
    expect(f.push('x')).toEqual({ text: '<|ex', stopped: false });
    expect(f.push('<|end|>rest')).toEqual({ text: '', stopped: true });
    expect(f.push('more')).toEqual({ text: '', stopped: true });
    expect(f.flush()).toBe('');
  });

  it('passes everything through with no stop sequences', () => {
    const f = createStopFilter([]);
    expect(f.push('a<|')).toEqual({ text: 'a<|', stopped: false });
    expect(f.flush()).toBe('');
  });
});
