/**
 * The dashboard bundles src/contracts (web/src/lib/types.ts, validate.ts), so the module may import only zod
 * and its own files: a server import here would drag node code into the browser or break `npm run build:web`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyNameProblem } from './index.js';

const dir = new URL('.', import.meta.url);
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('src/contracts', () => {
  it('imports only zod and its own files', () => {
    const outside = sources.flatMap((file) =>
      [
        ...readFileSync(new URL(file, dir), 'utf8').matchAll(
          /^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm,
        ),
      ]
        .map((m) => m[1] ?? '')
        .filter((spec) => spec !== 'zod' && !/^\.\/[\w-]+\.js$/.test(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
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
