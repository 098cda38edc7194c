/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/env.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    // unpdf ships its PDF.js build only as ESM (no `require` export): Jest resolves it by path and
    // transforms it to CommonJS like our sources (core/documents/pdf/pdfjs.ts; esbuild bundles it as is).
    '^.+\\.mjs$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  moduleNameMapper: { '^unpdf/pdfjs$': '<rootDir>/node_modules/unpdf/dist/pdfjs.mjs' },
  transformIgnorePatterns: ['/node_modules/(?!unpdf/)'],
  // Template tests run `serverless package` once per run; give them room on a 2-core machine.
  testTimeout: 60_000,
};
