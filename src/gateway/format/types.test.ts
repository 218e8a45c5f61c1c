import { describe, expect, it } from 'vitest';
import { sse, sseTemplate } from './types.js';
import { chatStreamEncoder, textStreamEncoder } from './openai.js';
import { messageStreamEncoder } from './anthropic.js';

const TEXTS = [
  '',
  'hello',
  'quote " and \\ backslash',
  'line\nbreak\r\ttab',
  'ünïcödé — 你好 🚀',
  '\u0000slot\u0000',
  '\ud800 lone',
  '</script>',
];

describe('sseTemplate', () => {
  it('gives byte for byte the frame a full serialisation gives', () => {
    const build = (text: string) => ({
      id: 'x',
      choices: [{ delta: { content: text }, n: null }],
      tail: true,
    });
    const frame = sseTemplate(build);
    const named = sseTemplate(build, 'delta');
    for (const text of TEXTS) {
      expect(frame(text)).toBe(sse(build(text)));
      expect(named(text)).toBe(sse(build(text), 'delta'));
    }
  });

  it("keeps every encoder's token frames parseable and carrying the text", () => {
    const meta = { id: 'id-1', model: 'oss-20b', created: 1 };
    for (const text of TEXTS) {
      const chat = JSON.parse(chatStreamEncoder(meta, true).text(text).slice('data: '.length));
      expect(chat.choices[0].delta.content).toBe(text);
      expect(chat.usage).toBeNull();
      const legacy = JSON.parse(textStreamEncoder(meta, false).text(text).slice('data: '.length));
      expect(legacy.choices[0].text).toBe(text);
      const anthropic = messageStreamEncoder(meta);
      expect(anthropic.text('x')).toMatch(/^event: content_block_start\n/); // the first text opens block 0
      const [eventLine, dataLine] = anthropic.text(text).split('\n');
      expect(eventLine).toBe('event: content_block_delta');
      expect(JSON.parse(dataLine!.slice('data: '.length)).delta).toEqual({ type: 'text_delta', text });
    }
  });
});
