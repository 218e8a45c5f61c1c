/**
 * Output-parser micro-benchmark: the cost per streamed piece (about one token) of turning raw model text
 * into neutral pieces, for plain text and for tool-call streams, beside the stop filter every stream already
 * pays. Pieces come from the router simulator's own generators (words, and markers whole or split).
 * Run: `npx tsx bench/tool-parser.ts [seconds per case]`.
 */
import { createOutputParser } from '../src/inference/templates/parsers/index.js';
import { answerPieces } from '../src/inference/simulator/tools/answer.js';
import { generateText } from '../src/inference/simulator/text.js';
import type { ToolDefinition } from '../src/inference/types.js';
import { createStopFilter } from '../src/inference/upstream/stop-filter.js';

const seconds = Number(process.argv[2] ?? 1);
const tools: ToolDefinition[] = [
  { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
];
const prose = generateText({ seed: 7, targetTokens: 400, maxTokens: 400 }).pieces;
const proseText = prose.join('');
const args = JSON.stringify({ city: 'Paris', note: proseText.slice(0, 600) });
const hermesCalls = answerPieces(
  `<tool_call>\n{"name": "get_weather", "arguments": ${args}}\n</tool_call>\n` +
    `<tool_call>\n{"name": "get_time", "arguments": {"zone": "CET"}}\n</tool_call>`,
  true,
);
const harmonyCall = answerPieces(
  `<|channel|>analysis<|message|>${proseText.slice(0, 400)}<|end|><|start|>assistant` +
    `<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>${args}`,
  true,
);

interface Case {
  name: string;
  pieces: string[];
  run(pieces: string[]): number;
}

function parserCase(name: string, family: string, pieces: string[], withTools: boolean, prefill = ''): Case {
  return {
    name,
    pieces,
    run(list) {
      const p = createOutputParser(family, { tools: withTools ? tools : undefined, prefill });
      let n = 0;
      for (const piece of list) n += p.push(piece).length;
      return n + p.end().length;
    },
  };
}

const cases: Case[] = [
  {
    name: 'stop filter only (the pre-existing per-piece cost), prose',
    pieces: prose,
    run(list) {
      const f = createStopFilter(['<|im_end|>', '<|endoftext|>']);
      let n = 0;
      for (const piece of list) n += f.push(piece).text.length;
      return n + f.flush().length;
    },
  },
  parserCase('chatml parser, prose, no tools', 'chatml', prose, false),
  parserCase('chatml parser, prose, tools offered', 'chatml', prose, true),
  parserCase(
    'harmony parser, prose on the final channel',
    'harmony',
    prose,
    false,
    '<|start|>assistant<|channel|>final<|message|>',
  ),
  parserCase('chatml parser, two calls, markers split', 'chatml', hermesCalls, true),
  parserCase(
    'harmony parser, analysis + call, markers split',
    'harmony',
    harmonyCall,
    true,
    '<|start|>assistant',
  ),
];

for (const c of cases) {
  let pieces = 0;
  let sink = 0;
  for (let i = 0; i < 200; i++) sink += c.run(c.pieces); // warm-up
  const end = performance.now() + seconds * 1_000;
  const started = performance.now();
  while (performance.now() < end) {
    sink += c.run(c.pieces);
    pieces += c.pieces.length;
  }
  const ns = ((performance.now() - started) * 1e6) / pieces;
  console.log(
    `${c.name.padEnd(58)} ${ns.toFixed(0).padStart(6)} ns/piece  (${c.pieces.length} pieces/stream, sink ${sink % 10})`,
  );
}
