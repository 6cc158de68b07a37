// ESLint (flat config): the recommended JavaScript, TypeScript and Svelte rules, and the layer
// rules that keep imports pointing down: engine ← jobs ← app ← transports (Electron main,
// browser-mode server) ← UI and CLI, with src/shared the contract every layer may read.
// See docs/architecture.md ("Parts and layers").
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import patterns (gitignore-style, matched against the import string) that a layer may not use. */
const LAYER = {
  jobs: { group: ['**/jobs/*', '**/jobs/**'], message: 'the jobs layer sits above this one' },
  app: { group: ['**/app/*', '**/app/**'], message: 'the app handlers (src/app) sit above this layer' },
  main: {
    group: ['**/main/*', '**/main/**', '**/main/index.ts'],
    message: 'src/main is the Electron main process: nothing below it imports it',
  },
  server: { group: ['**/server/*', '**/server/**'], message: 'src/server is a transport: nothing below it imports it' },
  cli: { group: ['**/cli/*', '**/cli/**'], message: 'src/cli is a front end: nothing below it imports it' },
  renderer: { group: ['**/renderer/*', '**/renderer/**'], message: 'src/renderer is the UI: the Node side never imports it' },
  preload: { group: ['**/preload/*', '**/preload/**'], message: 'src/preload is the Electron bridge: only Electron loads it' },
  engine: {
    group: ['**/gflownet/*', '**/gflownet/**'],
    message: 'the window reaches the engine only through the API contract (src/shared)',
  },
  electron: { group: ['electron', 'electron/*'], message: 'only src/main and src/preload may use Electron' },
  svelte: { group: ['svelte', 'svelte/*', '**/*.svelte'], message: 'only the renderer uses Svelte' },
  nodeServer: {
    group: ['node:http', 'node:https', 'node:http2', 'node:net', 'ws', 'http', 'https', 'net'],
    message: 'network servers belong to src/server',
  },
  node: {
    group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads'],
    message: 'the window has no Node: ask the Node side through the API',
  },
};

/** `no-restricted-imports` with these layers forbidden. */
function forbid(...layers) {
  return ['error', { patterns: layers.map((name) => LAYER[name]) }];
}

const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'].map((name) => ({
  name,
  message: 'the Node side has no DOM',
}));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.vite/**', '.tmp/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // Unused names are mistakes, except a deliberately ignored `_name` and rest siblings.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig },
    },
    rules: {
      // `let { a } = $props()` and `bind:this` targets are reassigned by Svelte: its own rule knows the runes.
      'prefer-const': 'off',
      'svelte/prefer-const': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // The layers, from the bottom up.
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/version.ts'],
    rules: {
      'no-restricted-imports': forbid(
        'engine',
        'jobs',
        'app',
        'main',
        'server',
        'cli',
        'renderer',
        'preload',
        'electron',
        'svelte',
        'nodeServer',
        'node',
      ),
    },
  },
  {
    files: ['src/gflownet/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid('jobs', 'app', 'main', 'server', 'cli', 'renderer', 'preload', 'electron', 'svelte', 'nodeServer'),
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/jobs/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid('app', 'main', 'server', 'cli', 'renderer', 'preload', 'electron', 'svelte', 'nodeServer'),
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid('main', 'server', 'cli', 'renderer', 'preload', 'electron', 'svelte', 'nodeServer'),
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid('main', 'cli', 'renderer', 'preload', 'electron', 'svelte'),
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid('server', 'cli', 'renderer', 'preload', 'svelte'),
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': forbid('engine', 'jobs', 'app', 'main', 'server', 'cli', 'renderer', 'svelte', 'nodeServer') },
  },
  {
    // A front end: it may use every layer below it (app handlers and the browser-mode server for `npm run serve`), not Electron or the window.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid('main', 'renderer', 'preload', 'electron', 'svelte'),
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': forbid('engine', 'jobs', 'app', 'main', 'server', 'cli', 'preload', 'electron', 'nodeServer', 'node'),
    },
  },
);
