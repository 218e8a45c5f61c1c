import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolDefinition } from '../types.js';
import { capabilitiesOf, renderChat } from './chat-template.js';
import { toolType } from './typescript-schema.js';

const weather: ToolDefinition = {
  name: 'get_weather',
  description: 'Gets the weather.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
};
const loop: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Weather in Paris?' },
  {
    role: 'assistant',
    content: '',
    reasoning: 'Need weather.',
    toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
  },
  { role: 'tool', content: '{"temp":21}', toolCallId: 'c1' },
];

describe('templates with tools', () => {
  it('harmony: reasoning level, the commentary line, the functions namespace, calls and results', () => {
    const r = renderChat('harmony', loop, { tools: [weather], reasoningEffort: 'high' });
    expect(r.prompt).toBe(
      '<|start|>system<|message|>Reasoning: high\n\n# Valid channels: analysis, commentary, final. ' +
        "Channel must be included for every message.\nCalls to these tools must go to the commentary channel: 'functions'.<|end|>" +
        '<|start|>developer<|message|># Instructions\n\nBe brief.\n\n# Tools\n\n## functions\n\nnamespace functions {\n\n' +
        '// Gets the weather.\ntype get_weather = (_: {\n// City name\ncity: string,\n}) => any;\n\n} // namespace functions<|end|>' +
        '<|start|>user<|message|>Weather in Paris?<|end|>' +
        '<|start|>assistant<|channel|>analysis<|message|>Need weather.<|end|>' +
        '<|start|>assistant to=functions.get_weather<|channel|>commentary <|constrain|>json<|message|>{"city":"Paris"}<|call|>' +
        '<|start|>functions.get_weather to=assistant<|channel|>commentary<|message|>{"temp":21}<|end|>' +
        '<|start|>assistant',
    );
    expect(r.stop).toEqual(['<|return|>', '<|call|>']);
    expect(r.prefill).toBe('<|start|>assistant');
  });

  it('harmony: TypeScript-like types for enums, defaults, arrays, optional and nested properties', () => {
    const tool: ToolDefinition = {
      name: 'f',
      parameters: {
        type: 'object',
        properties: {
          unit: { type: 'string', enum: ['c', 'f'], default: 'c' },
          days: { type: 'array', items: { type: 'integer' } },
          at: { type: 'object', properties: { lat: { type: 'number' } }, required: ['lat'] },
          note: { type: ['string', 'null'], title: 'Note', examples: ['hi'] },
        },
      },
    };
    expect(toolType(tool, 'f')).toBe(
      'type f = (_: {\nunit?: "c" | "f", // default: c\ndays?: number[],\nat?: {\n    lat: number,\n},\n' +
        '// Note\n//\n// Examples:\n// - "hi"\nnote?: string | null,\n}) => any;',
    );
    expect(toolType({ name: 'g' }, 'g')).toBe('type g = () => any;');
  });

  it('harmony: names become identifiers and a named forced call is prefilled', () => {
    const r = renderChat('harmony', [{ role: 'user', content: 'Hi' }], {
      tools: [{ name: 'weather.get-now' }],
      toolChoice: { type: 'function', name: 'weather.get-now' },
    });
    expect(r.prompt).toContain('type weather_get_now = () => any;');
    expect(r.prefill).toBe(
      '<|start|>assistant<|channel|>commentary to=functions.weather_get_now <|constrain|>json<|message|>',
    );
  });

  it('Qwen: the Hermes tools block, calls, merged results, reasoning of the ongoing loop', () => {
    const r = renderChat('chatml', [...loop, { role: 'tool', content: 'second', toolCallId: 'c2' }], {
      tools: [weather],
    });
    expect(r.prompt).toBe(
      '<|im_start|>system\nBe brief.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n' +
        'You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n' +
        '{"type": "function", "function": {"name": "get_weather", "description": "Gets the weather.", "parameters": ' +
        '{"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}\n' +
        '</tools>\n\nFor each function call, return a json object with function name and arguments within ' +
        '<tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\nWeather in Paris?<|im_end|>\n' +
        '<|im_start|>assistant\n<think>\nNeed weather.\n</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n{"temp":21}\n</tool_response>\n<tool_response>\nsecond\n</tool_response><|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
    expect(r.prefill).toBe('');
  });

  it('Qwen: required is prefilled with the call opener after an empty think block; none shows no tools', () => {
    const user: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
    expect(renderChat('chatml', user, { tools: [weather], toolChoice: { type: 'required' } }).prefill).toBe(
      '<think>\n\n</think>\n\n<tool_call>\n',
    );
    const none = renderChat('chatml', user, { tools: [weather], toolChoice: { type: 'none' } });
    expect(none.prompt).not.toContain('<tools>');
  });

  it('Gemma 4: declarations, calls and results inside the model turn, which the model continues', () => {
    const r = renderChat('gemma4', loop, { tools: [weather] });
    expect(r.prompt).toBe(
      '<bos><|turn>system\nBe brief.<|tool>declaration:get_weather{description:<|"|>Gets the weather.<|"|>,' +
        'parameters:{properties:{city:{description:<|"|>City name<|"|>,type:<|"|>STRING<|"|>}},required:[<|"|>city<|"|>],' +
        'type:<|"|>OBJECT<|"|>}}<tool|><turn|>\n<|turn>user\nWeather in Paris?<turn|>\n<|turn>model\n' +
        '<|tool_call>call:get_weather{city:<|"|>Paris<|"|>}<tool_call|><|tool_response>response:get_weather{temp:21}<tool_response|>',
    );
    expect(r.stop).toEqual(['<turn|>', '<|tool_response>']);
  });

  it('Gemma 4: a new turn gets the empty thought block unless reasoning is asked for', () => {
    const user: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
    expect(renderChat('gemma4', user).prompt).toBe(
      '<bos><|turn>user\nHi<turn|>\n<|turn>model\n<|channel>thought\n<channel|>',
    );
    expect(renderChat('gemma4', user, { reasoningEffort: 'high' }).prompt).toBe(
      '<bos><|turn>system\n<|think|><turn|>\n<|turn>user\nHi<turn|>\n<|turn>model\n',
    );
  });

  it('Llama 3: tools in the first user message, results as ipython turns, forced opener', () => {
    const r = renderChat('llama3', loop, {
      tools: [weather],
      toolChoice: { type: 'function', name: 'get_weather' },
    });
    expect(r.prompt).toContain('<|start_header_id|>user<|end_header_id|>\n\nGiven the following functions');
    expect(r.prompt).toContain('{"name": "get_weather", "parameters": {"city":"Paris"}}<|eot_id|>');
    expect(r.prompt).toContain('<|start_header_id|>ipython<|end_header_id|>\n\n{"temp":21}<|eot_id|>');
    expect(r.prefill).toBe('{"name": "get_weather", "parameters": ');
  });

  it('JSON answers: the schema in the prompt', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const format = { type: 'json_schema' as const, name: 'out', schema };
    const user: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
    expect(renderChat('harmony', user, { responseFormat: format }).prompt).toContain(
      `# Response Formats\n\n## out\n\n${JSON.stringify(schema)}<|end|>`,
    );
    expect(renderChat('chatml', user, { responseFormat: format }).prompt).toContain(
      `conform to this JSON Schema:\n${JSON.stringify(schema)}<|im_end|>`,
    );
  });
});

describe('capabilities', () => {
  it('says which families take tools, return reasoning and answer in JSON', () => {
    expect(capabilitiesOf('harmony')).toEqual({ tools: true, reasoning: true, json: true });
    expect(capabilitiesOf('llama3')).toEqual({ tools: true, reasoning: false, json: true });
    expect(capabilitiesOf('plain')).toEqual({ tools: false, reasoning: false, json: false });
  });
});
