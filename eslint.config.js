// ESLint flat config: typescript-eslint's recommended rules on all TypeScript sources, plus a few type-aware
// rules (they need the type checker, so they run only on files a tsconfig covers: src, test, bench through
// ./tsconfig.json and web/src through web/tsconfig.json — projectService picks the nearest tsconfig per file).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Files the type checker covers; the type-aware rules below apply to these only. */
const typed = ['src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts', 'web/src/**/*.{ts,tsx}'];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'web/dist',
      '.portal',
      'coverage',
      'migrations',
      '.tmp',
      'test-results',
      'bench/results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        document: 'readonly',
        window: 'readonly',
        navigator: 'readonly',
        localStorage: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: typed,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection ends the process) and its ordering.
      // Where fire-and-forget is the intent, write `void p` with a comment saying why.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function passed where a void callback is expected (an event handler, forEach) drops its
      // rejection the same way. JSX attributes are exempt: React ignores the returned promise by design and
      // the dashboard's handlers catch their own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // A switch over a union must name every member, so adding a member (an error code, a state) is a
      // compile-time list of places to decide, not a silent fall-through to `default`.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    // Long functions hide implicit state machines (see STYLE.md); the house aim is ~60 lines, 100 the ceiling.
    // Blank lines and comments are not counted: a comment saying why must never push a function over.
    files: ['src/**/*.{ts,tsx}', 'web/src/**/*.{ts,tsx}', 'bench/**/*.ts', 'test/support/**/*.ts'],
    ignores: [
      // A test file's describe() callback is a list of cases, not logic: its length says nothing.
      '**/*.test.ts',
      // Declarations, not logic: a schema is one flat list of fields, and splitting it would scatter the
      // contract it states (zod request/response schemas, the config schema, drizzle tables).
      'src/contracts/**',
      'src/gateway/schemas/**',
      'src/platform/config/schema.ts',
      'src/platform/store/schema.ts',
    ],
    rules: { 'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }] },
  },
  {
    // A `!` is an unchecked claim; lookups use total maps (`Record<Union, T>`), narrowing or destructuring.
    // Tests may assert with `!` (a wrong claim fails the test, which is the point).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
  },
  {
    // Imports that climb two or more folders use the package.json `imports` aliases (decision 016), so a
    // module's imports say which layer they reach; `node scripts/alias-imports.mjs` rewrites them. Tests that
    // check the dashboard's own modules (web/src) reach them by path: web/ is a separate bundle, not a layer.
    files: ['src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./\\.\\./(?!web/)', message: 'Use the #src/* or #test/* import alias.' },
          ],
        },
      ],
    },
  },
);
