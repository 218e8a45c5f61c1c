/**
 * Tool names as the prompt shows them. Harmony and Gemma 4 need identifiers (`type NAME = …`,
 * `call:NAME{…}`), so names are rewritten as Ollama does (space, `-`, `.` → `_`; other characters dropped; a
 * leading digit gets `_`; duplicates `_2`, `_3`, …) and mapped back when a call is parsed.
 */
import type { ToolDefinition } from '../types.js';

export interface ToolNameMap {
  /** Original name → name shown in the prompt. */
  toPrompt: Map<string, string>;
  /** Name shown in the prompt → original name. */
  fromPrompt: Map<string, string>;
}

function identifier(name: string): string {
  let out = name.replace(/[ .-]/g, '_').replace(/[^A-Za-z0-9_$]/g, '');
  if (!out) out = 'tool';
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/**
 * @example toolNameMap([{ name: 'get-weather' }]).toPrompt.get('get-weather') // 'get_weather'
 */
export function toolNameMap(tools: readonly Pick<ToolDefinition, 'name'>[] = []): ToolNameMap {
  const toPrompt = new Map<string, string>();
  const fromPrompt = new Map<string, string>();
  for (const { name } of tools) {
    if (toPrompt.has(name)) continue;
    const base = identifier(name);
    let shown = base;
    for (let n = 2; fromPrompt.has(shown); n++) shown = `${base}_${n}`;
    toPrompt.set(name, shown);
    fromPrompt.set(shown, name);
  }
  return { toPrompt, fromPrompt };
}

/** The identity map, for families whose prompts carry names as JSON strings. */
export function identityNames(tools: readonly Pick<ToolDefinition, 'name'>[] = []): ToolNameMap {
  const toPrompt = new Map(tools.map((t) => [t.name, t.name]));
  return { toPrompt, fromPrompt: new Map(toPrompt) };
}
