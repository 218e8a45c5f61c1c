/**
 * Incremental, tolerant parsers of raw model output, one per template family: text pieces in (split
 * anywhere, markers included), neutral pieces out — `text` (the answer only, never markup), `reasoning`,
 * `tool_call` (index, id, whole name) then `tool_call_args` fragments. The non-streamed helper runs the
 * same parser over the whole text. A prefill (the start of the assistant turn the prompt already holds,
 * e.g. a forced call's opener) is read first, so the parser is in the state the model continues from.
 */
import type { TemplateFamily } from '#src/platform/config/schema.js';
import type { ToolCall, ToolDefinition } from '#src/inference/types.js';
import { identityNames, toolNameMap } from '../tool-names.js';
import { createCallCounter, randomCallId, type CallCounter, type OutputPiece } from './emit.js';
import { createGemma4State, GEMMA4_MARKERS, gemma4End, gemma4Step } from './gemma4.js';
import { createHarmonyState, HARMONY_MARKERS, harmonyEnd, harmonyStep } from './harmony.js';
import { createHermesState, HERMES_MARKERS, hermesEnd, hermesStep } from './hermes.js';
import { createJsonToolsState, JSON_TOOL_MARKERS, jsonToolsEnd, jsonToolsStep } from './json-tools.js';
import { createScanner, flushScanner, scan, type ScannerState, type Token } from './scanner.js';

export type { OutputPiece } from './emit.js';

export interface OutputParserOptions {
  /** The tools offered (names are mapped back from the prompt's identifiers). */
  tools?: readonly ToolDefinition[];
  /** False for `tool_choice: none` or no tools: calls the model makes anyway are dropped. */
  toolsEnabled?: boolean;
  /** False for `parallel_tool_calls: false`: calls after the first are dropped. */
  parallelToolCalls?: boolean;
  /** The assistant turn's start already in the prompt (RenderedPrompt.prefill). */
  prefill?: string;
  /** Call ids (tests pass a counter); `call_` + 16 random base64url characters by default. */
  newId?: () => string;
}

export interface OutputParser {
  push(text: string): OutputPiece[];
  /** The stream ended (at a stop sequence, at the length limit, or cut): completes what is open. */
  end(): OutputPiece[];
  /** Calls emitted so far (the finish reason becomes `tool_calls` when there are some). */
  calls(): number;
}

interface Family<S> {
  markers: readonly string[];
  init(calls: CallCounter, toolsOn: boolean): S;
  step(state: S, token: Token): OutputPiece[];
  end(state: S): OutputPiece[];
}

/** Erases a family's state type: each family's state only ever meets its own functions. */
const define = <S>(f: Family<S>) => f as unknown as Family<unknown>;

const families: Record<Exclude<TemplateFamily, 'plain'>, Family<unknown>> = {
  harmony: define({ markers: HARMONY_MARKERS, init: createHarmonyState, step: harmonyStep, end: harmonyEnd }),
  chatml: define({ markers: HERMES_MARKERS, init: createHermesState, step: hermesStep, end: hermesEnd }),
  gemma4: define({ markers: GEMMA4_MARKERS, init: createGemma4State, step: gemma4Step, end: gemma4End }),
  gemma: define({ markers: [], init: createJsonToolsState, step: jsonToolsStep, end: jsonToolsEnd }),
  llama3: define({
    markers: JSON_TOOL_MARKERS,
    init: createJsonToolsState,
    step: jsonToolsStep,
    end: jsonToolsEnd,
  }),
};

function run<S>(family: Family<S>, options: OutputParserOptions): OutputParser {
  const toolsOn = (options.toolsEnabled ?? true) && (options.tools?.length ?? 0) > 0;
  const names = family === families.harmony || family === families.gemma4 ? toolNameMap : identityNames;
  const max = !toolsOn ? 0 : options.parallelToolCalls === false ? 1 : Number.MAX_SAFE_INTEGER;
  const counter = createCallCounter(names(options.tools).fromPrompt, max, options.newId ?? randomCallId);
  const state = family.init(counter, toolsOn);
  const scanner: ScannerState = createScanner(family.markers);
  const feed = (tokens: Token[]) => {
    const [only] = tokens;
    if (tokens.length === 1 && only) return family.step(state, only);
    const out: OutputPiece[] = [];
    for (const t of tokens) out.push(...family.step(state, t));
    return out;
  };
  let early = options.prefill ? feed(scan(scanner, options.prefill)) : [];
  const takeEarly = (pieces: OutputPiece[]) => {
    if (!early.length) return pieces;
    const out = [...early, ...pieces];
    early = [];
    return out;
  };
  return {
    push: (text) => takeEarly(feed(scan(scanner, text))),
    end: () => takeEarly([...feed(flushScanner(scanner)), ...family.end(state)]),
    calls: () => counter.count,
  };
}

/** A pass-through parser, for `plain` prompts and legacy completions. */
function passThrough(): OutputParser {
  return {
    push: (text) => (text ? [{ type: 'text', text }] : []),
    end: () => [],
    calls: () => 0,
  };
}

/**
 * @example const p = createOutputParser('chatml', { tools });
 *   p.push('<tool_'); p.push('call>\n{"name": "f", "arguments": {}}\n</tool_call>'); p.end();
 */
export function createOutputParser(family: string, options: OutputParserOptions = {}): OutputParser {
  const f = Object.hasOwn(families, family) ? families[family as keyof typeof families] : undefined;
  return f ? run(f, options) : passThrough();
}

export interface ParsedOutput {
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
}

/** Collects pieces into a whole answer. */
export function collectPieces(pieces: readonly OutputPiece[]): ParsedOutput {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const p of pieces) {
    if (p.type === 'text') text += p.text;
    else if (p.type === 'reasoning') reasoning += p.text;
    else if (p.type === 'tool_call') toolCalls[p.index] = { id: p.id, name: p.name, arguments: '' };
    else if (p.type === 'tool_call_args') {
      const call = toolCalls[p.index];
      if (call) call.arguments += p.text;
    }
  }
  return { text, ...(reasoning ? { reasoning } : {}), toolCalls };
}

/** The non-streamed helper: the same parser over the whole text. */
export function parseOutput(family: string, text: string, options: OutputParserOptions = {}): ParsedOutput {
  const parser = createOutputParser(family, options);
  return collectPieces([...parser.push(text), ...parser.end()]);
}
