/**
 * The layers hold (docs/decisions/001-layout.md): a folder imports only the folders its layer may use.
 * Imports are read from the source text — relative ones resolved, an import alias (`#…/`, `@/`, `~/`)
 * read as rooted at src/ — so a new cross-layer import fails here before anyone reviews it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Top-level folders of src/ each folder must never import. */
const FORBIDDEN: Record<string, string[]> = {
  admin: ['product', 'cli'],
  domain: ['product', 'admin', 'cli'],
  gateway: ['product', 'admin', 'domain', 'cli'],
  inference: ['product', 'admin', 'domain', 'gateway', 'cli'],
  platform: ['product', 'admin', 'domain', 'gateway', 'inference', 'cli'],
  contracts: ['product', 'admin', 'domain', 'gateway', 'inference', 'platform', 'cli'],
};

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The top-level src/ folder an import specifier of `file` lands in, or undefined (a package). */
function folderOf(file: string, spec: string): string | undefined {
  let target: string | undefined;
  if (spec.startsWith('.')) target = resolve(dirname(file), spec);
  else {
    const aliased = /^(?:#[\w-]*\/|@\/|~\/)(.+)$/.exec(spec);
    if (aliased?.[1]) target = join(SRC, aliased[1].replace(/^src\//, ''));
  }
  if (!target) return undefined;
  const rel = relative(SRC, target);
  return rel.startsWith('..') ? undefined : rel.split(/[\\/]/)[0];
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specs.map((m) => m[1] ?? '');
}

function violations(folder: string): string[] {
  const forbidden = FORBIDDEN[folder] ?? [];
  return sourcesUnder(join(SRC, folder)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden.includes(folderOf(file, spec) ?? ''))
      .map((spec) => `${relative(SRC, file)} imports ${spec}`),
  );
}

describe('layers', () => {
  it('src/admin imports nothing from src/product', () => {
    expect(sourcesUnder(join(SRC, 'admin')).length).toBeGreaterThan(0);
    expect(violations('admin')).toEqual([]);
  });

  it.each(Object.keys(FORBIDDEN).filter((f) => f !== 'admin'))(
    'src/%s imports no layer above it',
    (folder) => {
      expect(violations(folder)).toEqual([]);
    },
  );

  it('the checker sees a product import from admin, relative or aliased', () => {
    const file = join(SRC, 'admin', 'x.ts');
    expect(folderOf(file, '../product/index.js')).toBe('product');
    expect(folderOf(file, '#src/product/index.js')).toBe('product');
    expect(folderOf(file, '@/product/index.js')).toBe('product');
    expect(folderOf(file, './keys.js')).toBe('admin');
    expect(folderOf(file, 'hono')).toBeUndefined();
  });
});
