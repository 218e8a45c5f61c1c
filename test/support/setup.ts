/** Runs before every test file (vitest setupFiles): the worker's shared PGlite is closed after the file. */
import { afterAll } from 'vitest';
import { closeSharedTestStore } from './pglite.js';

afterAll(closeSharedTestStore);
