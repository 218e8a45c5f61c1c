#!/usr/bin/env node
// Codemod: rewrites every relative import that climbs two or more levels (`../../…`) and lands in src/ or test/
// to the `#src/*` or `#test/*` alias (docs/decisions/016-import-alias.md), e.g. in test/metering/outage.test.ts
//   '../../src/platform/metering/metering.js'  ->  '#src/platform/metering/metering.js'
// and in src/inference/adapters/cortensor.test.ts
//   '../../../test/inference/support.js'       ->  '#test/inference/support.js'
// Module specifiers are found by TypeScript's own pre-processor (static and dynamic imports, re-exports,
// `import type`), never by a regex over the text, and replaced at their exact offsets. Imports that climb one
// level, or that land elsewhere (web/, bench/, a fixture's `new URL(…)`), are left as they are.
//
//   node scripts/alias-imports.mjs            rewrite src, test, bench and web/src in place
//   node scripts/alias-imports.mjs --check    list what would change; exit 1 if anything would
//   node scripts/alias-imports.mjs DIR…       limit the run to these folders or files
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Alias prefix per folder, as package.json `imports` declares them. */
const ALIASES = [
  ['#src/', join(root, 'src')],
  ['#test/', join(root, 'test')],
];
const EXTENSIONS = /\.(?:ts|tsx|mts|cts|js|mjs)$/;
const QUOTES = new Set(["'", '"', '`']);
const SKIP = new Set(['node_modules', 'dist', '.portal', 'coverage', 'test-results', 'results']);

/** Every source file under `path` (a file or a folder), skipping build output and dependencies. */
function* sourceFiles(path) {
  if (statSync(path).isFile()) {
    if (EXTENSIONS.test(path)) yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
    yield* sourceFiles(join(path, entry.name));
  }
}

/** The alias for `specifier` imported from `file`, or undefined when it stays relative. */
export function aliasFor(file, specifier) {
  if (!specifier.startsWith('../../')) return undefined;
  const target = resolve(dirname(file), specifier);
  for (const [prefix, dir] of ALIASES)
    if (target.startsWith(dir + sep)) return prefix + relative(dir, target).split(sep).join('/');
  return undefined;
}

/** The file's text with its deep relative imports aliased, and how many were. */
export function rewrite(file, text) {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  let out = text;
  let count = 0;
  // Replace from the end so earlier offsets stay valid.
  for (const ref of [...importedFiles].sort((a, b) => b.pos - a.pos)) {
    const alias = aliasFor(file, ref.fileName);
    if (!alias) continue;
    // A reference's pos is where its string literal's token starts (the quote), not the specifier itself.
    const start = out.indexOf(ref.fileName, ref.pos);
    if (start < 0 || start - ref.pos > 1 || !QUOTES.has(out.charAt(start - 1)))
      throw new Error(`${file}: cannot locate the import '${ref.fileName}' at offset ${ref.pos}`);
    out = out.slice(0, start) + alias + out.slice(start + ref.fileName.length);
    count++;
  }
  return { text: out, count };
}

function main(argv) {
  const check = argv.includes('--check');
  const targets = argv.filter((a) => !a.startsWith('--'));
  const roots = (targets.length ? targets : ['src', 'test', 'bench', 'web/src']).map((p) => resolve(root, p));
  let files = 0;
  let imports = 0;
  for (const base of roots)
    for (const file of sourceFiles(base)) {
      const text = readFileSync(file, 'utf8');
      const next = rewrite(file, text);
      if (!next.count) continue;
      files++;
      imports += next.count;
      if (check) console.log(`${relative(root, file)}: ${next.count}`);
      else writeFileSync(file, next.text);
    }
  console.log(`${check ? 'would alias' : 'aliased'} ${imports} imports in ${files} files`);
  return check && imports > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
