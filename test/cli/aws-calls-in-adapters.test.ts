import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../support/local-cloud';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

// The SDK's values (clients, commands, paginators, lib-storage) are imported by adapters/ only; the
// command line and the dashboard name its types at most (README, layout: adapters/ is the only code touching AWS).
describe('AWS calls of the command line and the dashboard', () => {
  it('go through adapters/: cli/ and local/dashboard/ import nothing from @aws-sdk but types', () => {
    const offending = [join(projectRoot, 'cli'), join(projectRoot, 'local', 'dashboard')]
      .flatMap(sources)
      .flatMap((file) =>
        [...readFileSync(file, 'utf-8').matchAll(/^import (?!type )[^;]*from '(@aws-sdk\/[^']+)';/gm)].map(
          (m) => `${relative(projectRoot, file)}: ${m[1]}`,
        ),
      );

    expect(offending).toEqual([]);
  });
});
