// ESLint for the whole repository: TypeScript rules everywhere, the direction of imports
// between the parts (no cycles; widget and mock server never import each other; protocol/
// imports no part), and Playwright's rules on the suite (no sleeps, no focused or skipped
// tests left behind, web-first assertions).
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import playwright from 'eslint-plugin-playwright';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'widget/dist/',
      'mock-server/dist/',
      'reports/',
      'test-results/',
      'playwright-report/',
      '.data/',
      '.mutants/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // eslint-plugin-import-x: maintained, flat-config ready, and it resolves the NodeNext `./x.js`
    // specifiers to their `.ts` files through the TypeScript resolver. (dependency-cruiser would
    // do the same from the command line, but its current major needs Node 22.)
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './widget',
              from: ['./mock-server', './fixture-site', './tests', './scripts'],
              message: 'the widget runs in browsers: it may import protocol/ and its own files only.',
            },
            {
              target: './mock-server',
              from: ['./widget', './fixture-site', './tests', './scripts'],
              message: 'the mock server serves a built widget file and knows no other part: import protocol/ only.',
            },
            {
              target: './fixture-site',
              from: ['./widget', './mock-server', './tests', './scripts'],
              message: 'the fixture site talks to the backend over HTTP only.',
            },
            {
              target: './protocol',
              from: ['./widget', './mock-server', './fixture-site', './tests', './scripts'],
              message: 'protocol/ is what the parts share: it imports none of them.',
            },
          ],
        },
      ],
    },
  },
  {
    // The server itself (src/); mock-server/build.ts builds it and is not part of it.
    files: ['mock-server/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'esbuild', message: 'the server serves a built widget file (npm run build:widget); it bundles nothing.' }] },
      ],
    },
  },
  {
    files: ['widget/**/*.{ts,js}', 'fixture-site/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser, CV: 'readonly' } },
  },
  {
    files: ['tests/**/*.ts'],
    ...playwright.configs['flat/recommended'],
    rules: {
      ...playwright.configs['flat/recommended'].rules,
      'playwright/no-wait-for-timeout': 'error',
      'playwright/no-focused-test': 'error',
      'playwright/no-skipped-test': ['error', { allowConditional: true }],
      // The model's runners compare every step with the model (tests/model/world.ts) and throw on a difference.
      'playwright/expect-expect': ['error', { assertFunctionNames: ['expect', 'exploreModel', 'runSequence'] }],
      'playwright/no-conditional-in-test': 'off',
      'playwright/no-conditional-expect': 'off',
    },
  },
);
