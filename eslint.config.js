// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules whose use inside workflow code breaks determinism or cannot run in Temporal's sandbox. */
const nonDeterministicImports = [
  {
    group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process', 'timers'],
    message: 'Workflow code runs in a deterministic sandbox: no Node built-ins.',
  },
  {
    group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
    message: 'Workflows import only @temporalio/workflow (activities as types).',
  },
  {
    group: [
      'drizzle-orm',
      'drizzle-orm/*',
      'postgres',
      'fastify',
      'fastify/*',
      'pino',
      'date-holidays',
      'jose',
    ],
    message: 'I/O and wall-clock libraries belong in activities or the API.',
  },
  {
    group: ['../activities/*', '../api/*', '../db/*', '../runtime/*'],
    message: 'Workflows import only themselves (and activity types via `import type`).',
    allowTypeImports: true,
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.data', '.tools', 'db/migrations', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Fastify plugins are async by contract even when they only register routes.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The dashboard's browser modules: `tsc -p web` type-checks them (DOM library), which finds undefined
    // names better than no-undef, which knows no browser globals.
    files: ['web/**/*.js'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: nonDeterministicImports }],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow in a loop.' },
        { name: 'process', message: 'Workflow code must not read the environment.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Deterministic only: Math.random is replaced by the SDK but is a smell here.',
        },
      ],
    },
  },
);
