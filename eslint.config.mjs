// ESLint flat config: typescript-eslint's recommended rules plus the project's habits
// (type-only imports, no console in library code, no unused code).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['scripts/**', 'test/**', '**/*.test.ts', '**/test/**', '**/main.ts', 'kit/testing.ts'],
    // Tests read JSON responses; scripts and entry points talk to the terminal.
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
