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
  // ES-module-only packages Jest's CommonJS loader cannot load, compiled like our sources: unpdf's PDF.js
  // build, and what linkedom's CommonJS build requires (css-select 7 and its tree, cssomnom), which
  // Node 20.19+ and esbuild load as they are.
  transformIgnorePatterns: [
    '/node_modules/(?!unpdf/|(linkedom/node_modules/)?(css-select|css-what|boolbase|nth-check|dom-serializer|domelementtype|domhandler|domutils|entities|cssomnom)/)',
  ],
  // Template tests run `serverless package` once per run; give them room on a 2-core machine.
  testTimeout: 60_000,
};
