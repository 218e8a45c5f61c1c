/**
 * Writes docs/pages/configuration.md from the config schema (src/platform/config/reference.ts).
 * Run: `npm run docs:config` after changing the schema or descriptions.ts; test/docs/configuration.test.ts
 * fails until the committed page matches.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configReferencePage } from '../src/platform/config/reference.js';

const file = fileURLToPath(new URL('../docs/pages/configuration.md', import.meta.url));
writeFileSync(file, await configReferencePage(file));
console.log(`wrote ${file}`);
