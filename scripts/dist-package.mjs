#!/usr/bin/env node
// Written after `tsc -p tsconfig.build.json`: dist/package.json makes dist/ its own package scope, so that
//  - dist/**/*.js load as ES modules ("type": "module"), and
//  - the `#src/*` import alias resolves inside dist/ (Node reads `imports` from the nearest package.json):
//    `#src/platform/log.js` is dist/platform/log.js when compiled, src/platform/log.ts everywhere else
//    (tsc, vitest, vite, tsx read the root package.json, whose `#src/*` points at ./src/*).
// See docs/decisions/016-import-alias.md.
import { writeFileSync } from 'node:fs';

const pkg = { type: 'module', imports: { '#src/*': './*' } };
writeFileSync(new URL('../dist/package.json', import.meta.url), `${JSON.stringify(pkg, null, 2)}\n`);
