// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The floors of the house: which of the project's folders the code in each folder may import (besides
 * itself). Written down once; the import restrictions below are generated from it, and each folder's
 * README says the same in words. `true` means anything.
 * @type {Record<string, string[] | true>}
 */
const mayImport = {
  lib: [],
  workflows: ['lib'],
  db: ['workflows', 'lib'],
  activities: ['db', 'workflows', 'lib'],
  api: ['db', 'workflows', 'lib'],
  runtime: ['db', 'workflows', 'lib'],
  main: true,
  scripts: true,
  test: true,
  bench: true,
  // The browser modules: served as they are, they can reach nothing outside web/public.
  web: [],
};

/**
 * Folders a folder may import with `import type` only (erased at compile time, never loaded).
 * @type {Record<string, string[]>}
 */
const mayImportTypes = {
  // `ReturnType<typeof createActivities>` for proxyActivities.
  workflows: ['activities'],
};

/**
 * Packages a folder must not import, over and above the folder graph.
 * @typedef {{ group?: string[]; regex?: string; message: string; allowTypeImports?: boolean }} Pattern
 * @type {Record<string, Pattern[]>}
 */
const refusedPackages = {
  // Pure helpers: no package, no Node built-in, so that even workflow code (the sandbox) can load them.
  lib: [
    {
      regex: '^[^.]',
      message: 'lib/ holds pure helpers: it imports nothing but lib/ (no packages, no Node built-ins).',
    },
  ],
  // Modules whose use inside workflow code breaks determinism or cannot run in Temporal's sandbox.
  // `typebox` (the command catalogue's body schemas) is allowed.
  workflows: [
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
  ],
  db: [
    {
      group: ['fastify', 'fastify/*', '@fastify/*', '@temporalio/*'],
      message: 'db/ is storage only: HTTP belongs in api/, Temporal in workflows/ and activities/.',
    },
  ],
  activities: [
    {
      group: ['fastify', 'fastify/*', '@fastify/*'],
      message: 'HTTP is served by api/; activities talk to the database and to webhook receivers.',
    },
  ],
  api: [
    {
      group: ['@temporalio/activity', '@temporalio/worker'],
      message: 'The API talks to Temporal as a client (@temporalio/client); the worker side is activities/.',
    },
  ],
};

const FOLDERS = Object.keys(mayImport);

/** Matches a relative import that climbs out of the importing file's folder into project folder `name`. */
const intoFolder = (/** @type {string} */ name) => `^(\\.\\./)+${name}(/|$)`;

/**
 * The `@typescript-eslint/no-restricted-imports` patterns of one folder, from the tables above.
 * @param {string} folder
 * @returns {Pattern[]}
 */
function importRestrictions(folder) {
  const allowed = mayImport[folder] ?? true;
  if (allowed === true) return refusedPackages[folder] ?? [];
  const types = mayImportTypes[folder] ?? [];
  const names = (/** @type {string[]} */ folders) => folders.map((f) => `${f}/`).join(', ');
  const may =
    (allowed.length > 0 ? `only ${names(allowed)}` : 'nothing') +
    (types.length > 0 ? ` (and types from ${names(types)})` : '');
  const folders = FOLDERS.filter((other) => other !== folder && !allowed.includes(other)).map((other) => ({
    regex: intoFolder(other),
    message: `${folder}/ may import ${may} of the project's folders, not ${other}/ (eslint.config.js, mayImport).`,
    ...(types.includes(other) ? { allowTypeImports: true } : {}),
  }));
  return [...folders, ...(refusedPackages[folder] ?? [])];
}

/** One config object per folder that has restrictions (a later object would replace, not add to, the rule). */
const boundaries = FOLDERS.map((folder) => ({ folder, patterns: importRestrictions(folder) }))
  .filter(({ patterns }) => patterns.length > 0)
  .map(({ folder, patterns }) => ({
    files: [`${folder}/**/*.ts`, `${folder}/**/*.js`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  }));

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
  ...boundaries,
);
