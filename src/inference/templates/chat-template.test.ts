import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../types.js';
import { renderChat } from './chat-template.js';

const chat: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Name a colour.' },
];

describe('chat templates', () => {
  it('renders harmony (gpt-oss) with a developer turn and opens the final channel', () => {
    const { prompt, stop } = renderChat('harmony', chat);
    expect(prompt).toBe(
      '<|start|>system<|message|>Reasoning: low\n\n# Valid channels: analysis, commentary, final. ' +
        'Channel must be included for every message.<|end|>' +
        '<|start|>developer<|message|># Instructions\n\nBe brief.<|end|>' +
        '<|start|>user<|message|>Hi<|end|>' +
        '<|start|>assistant<|channel|>final<|message|>Hello!<|end|>' +
        '<|start|>user<|message|>Name a colour.<|end|>' +
        '<|start|>assistant<|channel|>final<|message|>',
    );
    expect(stop).toEqual(['<|return|>', '<|end|>', '<|call|>']);
  });

  it('renders Gemma with the system text folded into the first user turn', () => {
    const { prompt, stop } = renderChat('gemma', chat);
    expect(prompt).toBe(
      '<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n' +
        '<start_of_turn>model\nHello!<end_of_turn>\n' +
        '<start_of_turn>user\nName a colour.<end_of_turn>\n' +
        '<start_of_turn>model\n',
    );
    expect(stop).toEqual(['<end_of_turn>', '<eos>']);
  });

  it('renders Qwen ChatML, developer as system and tool results as tool_response', () => {
    const { prompt, stop } = renderChat('chatml', [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      { role: 'tool', content: '{"temp":21}', name: 'weather' },
    ]);
    expect(prompt).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n' +
        '<|im_start|>user\nWeather?<|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n{"temp":21}\n</tool_response><|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
    expect(stop).toEqual(['<|im_end|>', '<|endoftext|>']);
  });

  it('renders Llama 3 headers', () => {
    const { prompt, stop } = renderChat('llama3', chat.slice(0, 2));
    expect(prompt).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
    expect(stop).toContain('<|eot_id|>');
  });

  it('renders plain labelled turns, also for an unknown family', () => {
    const expected = 'System: Be brief.\n\nUser: Hi\n\nAssistant:';
    expect(renderChat('plain', chat.slice(0, 2)).prompt).toBe(expected);
    expect(renderChat('no-such-family', chat.slice(0, 2)).prompt).toBe(expected);
  });

  it('keeps a Gemma system-only conversation as a user turn', () => {
    expect(renderChat('gemma', [{ role: 'system', content: 'Only rules.' }]).prompt).toBe(
      '<bos><start_of_turn>user\nOnly rules.<end_of_turn>\n<start_of_turn>model\n',
    );
  });
});
