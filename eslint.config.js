// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-output/', 'tools/ferretdb/bin/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Logging goes through src/lib/logger.ts so PHI is redacted; the CLI prints on purpose.
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // process.env is read in exactly one place: src/config.
    files: ['src/**/*.ts', 'dialogs/**/*.ts', 'schedules/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.' }],
    },
  },
  {
    // The domain layer stays free of drivers and SDKs (ARCHITECTURE.md dependency rule).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['mongoose', 'twilio', 'openai', '@azure/*', 'botbuilder*', 'fastify*', '*/store/*', '*/http/*'] }],
    },
  },
  {
    // The console's own script runs in the browser, as a classic script beside uPlot's.
    files: ['src/console/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', setInterval: 'readonly', uPlot: 'readonly' } },
  },
  {
    files: ['src/cli/**/*.ts', 'tools/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off', 'no-restricted-properties': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
