import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/'] },
  // Type-aware: the rules that need the type checker (floating promises, unsafe any, needless
  // assertions...), with the tsconfig.json project found per file by the project service.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a const object, not an enum.' }],
      // Off: an async function without await still turns a throw into a rejection, which callers
      // rely on (mintToken, Koa middleware, commander actions); dropping `async` would change that.
      '@typescript-eslint/require-await': 'off',
      // A URLSearchParams in a URL template is its query string, as intended.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { name: 'URLSearchParams', from: 'lib' },
            { name: 'URLSearchParams', from: 'package', package: 'url' },
          ],
        },
      ],
    },
  },
  // Plain JavaScript (bin, bench, scripts, this file) is outside tsconfig.json: no type information.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  // CommonJS files (bin/, CommonJS through bin/package.json, and the code-cache loader the build
  // copies into dist/): require() is how they import.
  { files: ['bin/**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    // supertest types every response body as `any`, and tests read it field by field to assert on
    // it; typing each body would add a cast per assertion and catch nothing the assertion does not.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
