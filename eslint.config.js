// ESLint 9 flat config: the recommended rules plus typed rules that catch real bugs (promises
// left floating or passed where a callback's result is ignored, awaits of non-promises). Style is
// Prettier's job (`.prettierrc`), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', '.test-dist/', 'node_modules/', 'output/', 'data/', 'coverage/', '**/*.mjs', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Sanitisers (fold-text, safe-text, the XML placeholders) match control characters on purpose.
      'no-control-regex': 'off',
      // Chinese test pages and fixtures carry ideographic spaces (U+3000) in their strings on purpose.
      'no-irregular-whitespace': [
        'error',
        { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true },
      ],
    },
  },
  {
    // Plain JavaScript a bare `node` runs (the benchmark's cold floor), outside the TypeScript project.
    files: ['eslint.config.js', 'bench/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
