/**
 * The prompt token counter (src/inference/tokens.ts), in µs per KB of text: ordinary prose and code, text
 * without spaces (random letters and digits; one repeated letter; CJK without punctuation — the inputs that
 * made gpt-tokenizer quadratic), and a chat of many short messages. Each case is counted by the chunked
 * counter and, for comparison, by gpt-tokenizer on the whole text (skipped where that takes too long).
 *
 *   npx tsx bench/tokens.ts [--kb 256] [--rounds 5]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { clearMergeCache, countTokens as wholeText } from 'gpt-tokenizer';
import { countChatTokens, countTokens } from '#src/inference/tokens.js';
import type { ChatMessage } from '#src/inference/types.js';

const { values } = parseArgs({
  options: { kb: { type: 'string', default: '256' }, rounds: { type: 'string', default: '5' } },
});
const KB = Number(values.kb);
const ROUNDS = Number(values.rounds);
const asText = { disallowedSpecial: new Set<string>() };

function random(length: number, alphabet: string): string {
  const chars = [...alphabet];
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[bytes.readUInt16LE(i * 2) % chars.length];
  return out;
}

function ofSize(text: string, kb: number): string {
  let out = text;
  while (out.length < kb * 1024) out += '\n' + text;
  return out.slice(0, kb * 1024);
}

const prose = ofSize(readFileSync('docs/benchmarks.md', 'utf8'), KB);
const code = ofSize(readFileSync('src/gateway/respond.ts', 'utf8'), KB);
const alnum = random(KB * 1024, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const lower = random(KB * 1024, 'abcdefghijklmnopqrstuvwxyz');
const cjk = random(
  KB * 1024,
  '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生',
);
const messages: ChatMessage[] = Array.from({ length: Math.ceil((KB * 1024) / 350) }, (_, i) => ({
  role: i % 2 ? 'assistant' : 'user',
  content: random(350, 'abcdefghij klmnopqrstuvwxyz ABCDEFGHIJ 0123456789 '),
}));

/** Median time of `rounds` runs, in µs per KB of input. */
function perKb(kb: number, count: () => number): { usPerKb: number; tokens: number } {
  const times: number[] = [];
  let tokens = 0;
  for (let r = 0; r < ROUNDS; r++) {
    clearMergeCache(); // every round meets the text as new (an attacker's text always is)
    const started = performance.now();
    tokens = count();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { usPerKb: (times[Math.floor(times.length / 2)]! * 1000) / kb, tokens };
}

interface Case {
  name: string;
  count: () => number;
  /** gpt-tokenizer on the whole text, where it finishes in reasonable time. */
  whole?: () => number;
  /** Why there is no whole-text figure. */
  why?: string;
}

const cases: Case[] = [
  {
    name: 'prose (docs/benchmarks.md)',
    count: () => countTokens(prose),
    whole: () => wholeText(prose, asText),
  },
  {
    name: 'code (src/gateway/respond.ts)',
    count: () => countTokens(code),
    whole: () => wholeText(code, asText),
  },
  {
    name: 'no spaces: random letters and digits',
    count: () => countTokens(alnum),
    whole: () => wholeText(alnum, asText),
  },
  { name: 'no spaces: random lowercase letters', count: () => countTokens(lower), why: 'quadratic' },
  {
    name: 'no spaces: one letter repeated',
    count: () => countTokens('a'.repeat(KB * 1024)),
    why: 'quadratic',
  },
  { name: 'no spaces: CJK without punctuation', count: () => countTokens(cjk), why: 'quadratic' },
  {
    name: `chat: ${messages.length} messages × 350 characters`,
    count: () => countChatTokens(messages),
    why: '—',
  },
];

// One untimed pass first: the first case would otherwise carry the JIT's warm-up.
for (const c of cases) {
  c.count();
  c.whole?.();
}

console.log(`token counter, ${KB} KB per case, median of ${ROUNDS} rounds, Node ${process.version}`);
console.log('| case | chunked counter µs/KB | tokens | gpt-tokenizer whole text µs/KB |');
console.log('| --- | ---: | ---: | ---: |');
for (const c of cases) {
  const chunked = perKb(KB, c.count);
  const whole = c.whole ? perKb(KB, c.whole) : undefined;
  console.log(
    `| ${c.name} | ${chunked.usPerKb.toFixed(0)} | ${chunked.tokens} | ${whole ? `${whole.usPerKb.toFixed(0)}${whole.tokens === chunked.tokens ? '' : ` (${whole.tokens} tokens)`}` : c.why === 'quadratic' ? 'quadratic: not run' : '—'} |`,
  );
}
