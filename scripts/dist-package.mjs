#!/usr/bin/env node
// Written after `tsc -p tsconfig.build.json`: dist/package.json makes dist/ its own package scope, so that
//  - dist/**/*.js load as ES modules ("type": "module"), and
//  - the `#src/*` import alias resolves inside dist/ (Node reads `imports` from the nearest package.json):
//    `#src/platform/log.js` is dist/platform/log.js when compiled, src/platform/log.ts everywhere else
//    (tsc, vitest, vite, tsx read the root package.json, whose `#src/*` points at ./src/*).
// Any other compile output needs the same file: `node scripts/dist-package.mjs <outDir>` (the bench's private
// build does this). See docs/decisions/016-type-aware-lint-and-import-alias.md.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = process.argv[2]
  ? resolve(process.argv[2])
  : fileURLToPath(new URL('../dist', import.meta.url));
const pkg = { type: 'module', imports: { '#src/*': './*' } };
writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
