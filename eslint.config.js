// ESLint with typescript-eslint's type-aware rules over the code that runs: the kit, its
// migrations, tests, benchmarks and the example app. Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const untypedValues = {
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default tseslint.config(
  // Fixtures are host projects of their own, checked by the consumer tests against the packed package.
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'test/.docs-build/', 'test/consumer/fixtures/', 'views/assets/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Express and Knex take handlers and callbacks that return promises on purpose.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Handler groups and services are object literals whose methods never use `this`, and the route
      // table passes them as they are. The public API declares `this: void` on its methods, so a host
      // that keeps this rule on can pass `au.serializeUser` and friends unbound.
      '@typescript-eslint/unbound-method': 'off',
      // The kit refuses control characters in names, emails and return paths by regular expression, on purpose.
      'no-control-regex': 'off',
      // Node-style callbacks hand over their error as `any`; it is passed on as it came.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  // Where rows come back from Knex (typed `any` by knex), and in tests reading supertest's `res.body`
  // (also `any`): the store maps every row through typed converters in one place, and a test's
  // assertion is its check. Everywhere else `any` stays an error.
  { files: ['lib/store/**/*.ts', 'migrations/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: untypedValues },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Chai's property assertions (`.to.be.empty`) are expressions; table-driven cases share one async shape.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/require-await': 'off',
      // A response body's type, as supertest gives it.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
