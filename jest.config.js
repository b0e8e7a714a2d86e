// Two tiers (STYLE.md §9): `unit` = *.spec.ts next to the code, no network;
// `integration` = test/**/*.test.ts against real processes, Redis and Docker.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@rock/testing$': '<rootDir>/test/support/index.ts',
  '^@rock/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
};
// ES-module-only packages loaded at run time through require(esm), which Jest on Node 20 lacks:
// their entry is bundled to CommonJS (test/support/esm-bundle.transform.cjs).
const esmBundled = ['@kubernetes/client-node/dist/index\\.js'];
const common = {
  transform: { '^.+\\.ts$': swc, [`/node_modules/(${esmBundled.join('|')})$`]: '<rootDir>/test/support/esm-bundle.transform.cjs' },
  transformIgnorePatterns: [`/node_modules/(?!(${esmBundled.join('|')})$)`],
  moduleNameMapper,
  testEnvironment: 'node',
  // Build caches hold copies of package.json (service image staging): not modules of this repo.
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/**/*.test.ts'], slowTestThreshold: 30 },
  ],
};
