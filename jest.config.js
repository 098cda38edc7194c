/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/env.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  },
  // linkedom's CommonJS build requires ES-module-only packages (css-select 7 and its tree, cssomnom),
  // which Node 20.19+ and esbuild load but Jest's module loader does not: compile them to CommonJS.
  transformIgnorePatterns: [
    '/node_modules/(?!(linkedom/node_modules/)?(css-select|css-what|boolbase|nth-check|dom-serializer|domelementtype|domhandler|domutils|entities|cssomnom)/)',
  ],
  // Template tests run `serverless package` once per run; give them room on a 2-core machine.
  testTimeout: 60_000,
};
