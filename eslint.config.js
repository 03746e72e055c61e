// ESLint for the whole repository: TypeScript rules everywhere, Playwright's rules on the
// suite (no sleeps, no focused or skipped tests left behind, web-first assertions).
import js from '@eslint/js';
import playwright from 'eslint-plugin-playwright';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'widget/dist/', 'reports/', 'test-results/', 'playwright-report/', '.data/', '.mutants/'] },
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
