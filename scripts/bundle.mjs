#!/usr/bin/env node
// Written after `tsc` and dist-package.mjs: bundles the server (dist/cli/main.js and everything it imports)
// into one file, dist/portal.js, which bin/portal runs. Node 20's ES module loader pays per file: the ~900
// module files of the server and its libraries took ~1.0–1.1 s to import, one file ~0.6 s (and ~10 MB less
// RSS) — docs/decisions/026-one-file-server-bundle.md. dist/**/*.js stay as tsc wrote them (tests, the
// PGlite init child's migrate.js and tools import them).
//
// Packages stay external when they read their own files or start workers at run time (PGlite's WebAssembly
// and data, pino's transports, gpt-tokenizer's rank file) or are loaded lazily on purpose (nodemailer, ajv,
// prettier), and native-capable drivers (pg, ioredis, undici) stay what npm installed.
// Usage: node scripts/bundle.mjs [distDir]   (default dist/)
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL('../dist', import.meta.url));

const EXTERNAL = [
  '@electric-sql/pglite',
  'pino',
  'pino-pretty',
  'thread-stream',
  'pg',
  'pg-native',
  'ioredis',
  'undici',
  'prom-client',
  'nodemailer',
  'ajv',
  'prettier',
  'gpt-tokenizer',
  '@hono/node-server',
];

await build({
  entryPoints: [join(dist, 'cli/main.js')],
  outfile: join(dist, 'portal.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  // CommonJS code inside the bundle calls require(): give it Node's, resolved from the bundle's place.
  banner: {
    js: "import { createRequire as __portalRequire } from 'node:module'; const require = __portalRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  charset: 'ascii',
  legalComments: 'none',
  minifyWhitespace: true,
  logLevel: 'warning',
});
