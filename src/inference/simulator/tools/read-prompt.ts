/**
 * What the simulated router reads from a raw prompt, per template family (the router gets only the prompt,
 * as a real one does): the tools offered, a forced call's opener left at the end, a tool result in the last
 * turn, the user's last words, a JSON answer asked for, and whether the assistant's channel is left open.
 */
import { gemmaToJson } from '#src/inference/templates/gemma-value.js';

export type SimFamily = 'harmony' | 'chatml' | 'gemma4' | 'gemma' | 'llama3';

export interface SimTool {
  name: string;
  parameters: Record<string, unknown>;
}

export interface PromptReading {
  family: SimFamily;
  tools: SimTool[];
  /** The prompt ends inside a forced call: its name ('' when any function may follow). */
  forced?: string;
  /** The last turn is a tool result. */
  toolResult?: { name: string; content: string };
  userText: string;
  /** A JSON answer is asked for: the schema, or {} for any object. */
  json?: Record<string, unknown>;
  /** Harmony: the prompt leaves the channel to the model (it reasons first, as gpt-oss does). */
  openChannel: boolean;
}

const lastMatch = (text: string, re: RegExp) => [...text.matchAll(re)].at(-1);

function familyOf(prompt: string): SimFamily | undefined {
  if (prompt.startsWith('<|start|>system')) return 'harmony';
  if (prompt.includes('<|im_start|>')) return 'chatml';
  if (prompt.includes('<|turn>')) return 'gemma4';
  if (prompt.includes('<start_of_turn>')) return 'gemma';
  if (prompt.includes('<|start_header_id|>')) return 'llama3';
  return undefined;
}

/** Balanced JSON values (objects or arrays) starting at `from`, separated by whitespace. */
function jsonValuesAt(text: string, from: number): unknown[] {
  const out: unknown[] = [];
  let i = from;
  while (true) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (text[i] !== '{' && text[i] !== '[') return out;
    let depth = 0;
    let inString = false;
    let j = i;
    for (; j < text.length; j++) {
      const ch = text.charAt(j);
      if (inString) {
        if (ch === '\\') j++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if ((ch === '}' || ch === ']') && --depth === 0) break;
    }
    try {
      out.push(JSON.parse(text.slice(i, j + 1)));
    } catch {
      return out;
    }
    i = j + 1;
  }
}

function fromOpenAi(value: unknown): SimTool | undefined {
  const fn = (value as { function?: { name?: unknown; parameters?: unknown } } | null)?.function;
  if (!fn || typeof fn.name !== 'string') return undefined;
  const parameters = typeof fn.parameters === 'object' && fn.parameters ? fn.parameters : {};
  return { name: fn.name, parameters: parameters as Record<string, unknown> };
}

function tsProperty(type: string): Record<string, unknown> {
  if (type.includes('"')) return { enum: [...type.matchAll(/"([^"]*)"/g)].map((m) => m[1]) };
  if (type.endsWith('[]')) return { type: 'array', items: tsProperty(type.slice(0, -2)) };
  if (type === '{') return { type: 'object', properties: {} };
  return { type: ['string', 'number', 'boolean'].includes(type) ? type : 'string' };
}

/** Harmony's `namespace functions`: top-level properties of each `type NAME = (_: {…}) => any;`. */
function harmonyTools(prompt: string): SimTool[] {
  const block = /namespace functions \{([\s\S]*?)\} \/\/ namespace functions/.exec(prompt)?.[1] ?? '';
  return [
    ...block.matchAll(/^type (\w+) = (?:\(\) => any;|\(_: (?:\/\/[^\n]*\n)*\{\n([\s\S]*?)\n\}\) => any;)/gm),
  ].map((m) => {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const [, name = '', optional, type = ''] of (m[2] ?? '').matchAll(
      /^(\w+)(\??): (.+?),?(?: \/\/.*)?$/gm,
    )) {
      properties[name] = tsProperty(type.replace(/ \| null$/, ''));
      if (!optional) required.push(name);
    }
    return { name: m[1] ?? '', parameters: { type: 'object', properties, required } };
  });
}

function gemma4Tools(prompt: string): SimTool[] {
  return [...prompt.matchAll(/<\|tool>declaration:(\w+)([\s\S]*?)<tool\|>/g)].map(
    ([, name = '', body = '']) => {
      const decl = JSON.parse(gemmaToJson(body) ?? '{}') as { parameters?: unknown };
      const lower = JSON.parse(
        JSON.stringify(decl.parameters ?? {}).replace(
          /"type":"([A-Z]+)"/g,
          (_, t: string) => `"type":"${t.toLowerCase()}"`,
        ),
      );
      return { name, parameters: lower as Record<string, unknown> };
    },
  );
}

function toolsOf(family: SimFamily, prompt: string): SimTool[] {
  switch (family) {
    case 'harmony':
      return harmonyTools(prompt);
    case 'gemma4':
      return gemma4Tools(prompt);
    case 'chatml': {
      const block = /<tools>\n([\s\S]*?)\n<\/tools>/.exec(prompt)?.[1] ?? '';
      return jsonValuesAt(block, 0)
        .map(fromOpenAi)
        .filter((t): t is SimTool => !!t);
    }
    case 'gemma':
    case 'llama3': {
      const at = /Do not use variables\.\n\n|if you call a function\n/.exec(prompt);
      if (!at) return [];
      const values = jsonValuesAt(prompt, at.index + at[0].length);
      const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
      return list.map(fromOpenAi).filter((t): t is SimTool => !!t);
    }
  }
}

/** The user's own words: without the tool list the JSON families put in the first user message. */
function userWords(text: string): string {
  const listed = /(?:Do not use variables\.|if you call a function)\n[\s\S]*[}\]]\n\n/.exec(text);
  return listed ? text.slice(listed.index + listed[0].length) : text;
}

const FORCED: Record<SimFamily, RegExp> = {
  harmony: /to=functions\.(?:(\w+) <\|constrain\|>json<\|message\|>)?$/,
  chatml: /<tool_call>\n(?:\{"name": "([^"]+)", "arguments": )?$/,
  gemma4: /<\|tool_call>call:(?:(\w+)\{)?$/,
  gemma: /(?:\{"name": "([^"]+)", "parameters": |\{"name": ")$/,
  llama3: /(?:\{"name": "([^"]+)", "parameters": |\{"name": ")$/,
};

const USER: Record<SimFamily, RegExp> = {
  harmony: /<\|start\|>user<\|message\|>([\s\S]*?)<\|end\|>/g,
  chatml: /<\|im_start\|>user\n(?!<tool_response>)([\s\S]*?)<\|im_end\|>/g,
  gemma4: /<\|turn>user\n([\s\S]*?)<turn\|>/g,
  gemma: /<start_of_turn>user\n(?!<tool_response>)([\s\S]*?)<end_of_turn>/g,
  llama3: /<\|start_header_id\|>user<\|end_header_id\|>\n\n([\s\S]*?)<\|eot_id\|>/g,
};

/** Where the last tool result starts, and its shape up to the end of the prompt. */
const RESULT: Record<SimFamily, { opener: string; shape: RegExp }> = {
  harmony: {
    opener: '<|start|>functions.',
    shape:
      /^<\|start\|>functions\.(\w+) to=assistant<\|channel\|>commentary<\|message\|>([\s\S]*?)<\|end\|><\|start\|>assistant$/,
  },
  chatml: {
    opener: '<tool_response>\n',
    shape: /^<tool_response>\n([\s\S]*?)\n<\/tool_response><\|im_end\|>\n<\|im_start\|>assistant\n$/,
  },
  gemma4: {
    opener: '<|tool_response>',
    shape: /^<\|tool_response>response:(\w+)([\s\S]*?)<tool_response\|>$/,
  },
  gemma: {
    opener: '<tool_response>\n',
    shape: /^<tool_response>\n(\w+): ([\s\S]*?)\n<\/tool_response><end_of_turn>\n<start_of_turn>model\n$/,
  },
  llama3: {
    opener: 'ipython<|end_header_id|>',
    shape:
      /^ipython<\|end_header_id\|>\n\n([\s\S]*?)<\|eot_id\|><\|start_header_id\|>assistant<\|end_header_id\|>\n\n$/,
  },
};

function toolResult(family: SimFamily, prompt: string): PromptReading['toolResult'] {
  const { opener, shape } = RESULT[family];
  const at = prompt.lastIndexOf(opener);
  const m = at === -1 ? null : shape.exec(prompt.slice(at));
  if (!m) return undefined;
  const [, first = '', second] = m;
  if (second !== undefined)
    return { name: first, content: family === 'gemma4' ? (gemmaToJson(second) ?? second) : second };
  const lastCall = lastMatch(prompt, /"name": "([^"]+)"/g)?.[1] ?? 'the tool';
  return { name: lastCall, content: first };
}

function jsonAsked(family: SimFamily, prompt: string): Record<string, unknown> | undefined {
  const harmony = family === 'harmony' ? /# Response Formats\n\n## [^\n]*\n\n/.exec(prompt) : null;
  const plain = /conform to this JSON Schema:\n/.exec(prompt);
  const at = harmony ?? plain;
  if (at) return (jsonValuesAt(prompt, at.index + at[0].length)[0] as Record<string, unknown>) ?? {};
  return /Respond with one JSON object only/.test(prompt) ? {} : undefined;
}

export function readPrompt(prompt: string): PromptReading | undefined {
  const family = familyOf(prompt);
  if (!family) return undefined;
  const forced = FORCED[family].exec(prompt);
  return {
    family,
    tools: toolsOf(family, prompt),
    ...(forced ? { forced: forced[1] ?? '' } : {}),
    toolResult: toolResult(family, prompt),
    userText: userWords(lastMatch(prompt, USER[family])?.[1] ?? ''),
    json: jsonAsked(family, prompt),
    openChannel: family === 'harmony' && prompt.endsWith('<|start|>assistant'),
  };
}
