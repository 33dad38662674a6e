import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // The layers (docs/layout.md): the engine's client only in docker/; nothing pure imports React,
  // Ink, components or hooks. test/architecture.test.ts checks the same and finds import circles.
  {
    files: ['source/**/*.{ts,tsx}'],
    ignores: ['source/docker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'dockerode', message: 'Only source/docker/ talks to the engine.' },
            { name: 'docker-modem', message: 'Only source/docker/ talks to the engine.' },
          ],
        },
      ],
    },
  },
  {
    files: [
      'source/state/**',
      'source/views/**',
      'source/live/**',
      'source/format/**',
      'source/operations/**',
      'source/health.ts',
      'source/layout.ts',
      'source/model.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'ink', message: 'Pure code: no Ink here.' },
            { name: 'react', message: 'Pure code: no React here.' },
            { name: 'dockerode', message: 'Only source/docker/ talks to the engine.' },
          ],
          patterns: [
            {
              group: ['**/components/**', '**/hooks/**'],
              message: 'Pure code imports no components or hooks (data flows down to them).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
