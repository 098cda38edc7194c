// Packages the stack once for the whole run (the template tests read it, the local cloud runs its
// bundles) and bundles the local cloud's entry points (the model server runs as its own process).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js') as { build: (options?: { cliOnly?: boolean }) => Promise<void> };

export default async (): Promise<void> => {
  await build();
};
