/**
 * Files Portal reads from its own installation — the migrations, the built dashboard, package.json, the
 * compiled migration runner — found from wherever the running code is: `src/` under tsx and vitest, `dist/`
 * compiled by tsc, or the one-file server bundle `dist/portal.js` (scripts/bundle.mjs). Relative URLs from a
 * module's own `import.meta.url` would differ between those three, so every such path starts here.
 *
 * The root is the nearest directory above this module whose package.json has a name (`dist/package.json`,
 * which only sets the module type and the `#src/*` alias, has none).
 * @example fromRoot('migrations') // '/srv/portal/migrations'
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name)
      return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json with a name above ${from}`);
  }
}

/** The installation's root directory (the repository, or a build laid out like it). */
export const ROOT = findRoot(fileURLToPath(import.meta.url));

/** A path inside the installation. */
export const fromRoot = (...parts: string[]): string => join(ROOT, ...parts);

/** Whether this is compiled JavaScript (dist/ or the bundle) rather than the TypeScript sources. */
export const COMPILED = import.meta.url.endsWith('.js');
