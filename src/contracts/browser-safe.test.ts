/**
 * The dashboard bundles src/contracts (web/src/lib/types.ts, validate.ts), so the module may import only zod
 * and its own files: a server import here would drag node code into the browser or break `npm run build:web`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyNameProblem } from './index.js';

const dir = new URL('.', import.meta.url);
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const importsOf = (file: URL) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? '',
  );

/** Every module reachable from src/contracts, following relative imports (`v1.ts` re-exports the gateway's
 * request schemas: they must be browser-safe too); what is not relative must be zod. */
function outsideImports(): string[] {
  const seen = new Set<string>();
  const outside: string[] = [];
  const queue = sources.map((f) => new URL(f, dir));
  for (let file = queue.shift(); file; file = queue.shift()) {
    if (seen.has(file.href)) continue;
    seen.add(file.href);
    for (const spec of importsOf(file)) {
      if (/^\.\.?\/[\w/.-]+\.js$/.test(spec)) queue.push(new URL(spec.replace(/\.js$/, '.ts'), file));
      else if (spec !== 'zod') outside.push(`${file.pathname.split('/src/')[1]}: ${spec}`);
    }
  }
  return outside;
}

describe('src/contracts', () => {
  it('imports only zod and its own files (and the zod-only gateway schemas they re-export)', () => {
    expect(sources.length).toBeGreaterThan(0);
    expect(outsideImports()).toEqual([]);
  });

  it('gives the dashboard the server’s key-name messages', () => {
    expect(keyNameProblem('  ci  ')).toBeNull();
    expect(keyNameProblem('   ')).toBe('Give the key a name (1–100 characters).');
    expect(keyNameProblem('a\u202Eb')).toBe(
      'Key names cannot contain control characters, bidi overrides or other invisible characters.',
    );
    expect(keyNameProblem('<b>')).toBe('Key names cannot contain "<" or ">".');
  });
});
