import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findAwsCliV2, findChromium, installPlan } from '../support/tools';

describe('npm test finds the tools it drives', () => {
  let dir: string;
  /** An executable `name` in folder `folder` that prints `printed` for --version (exit 0), or fails. */
  const tool = (folder: string, name: string, printed: string | undefined): string => {
    mkdirSync(join(dir, folder), { recursive: true });
    const file = join(dir, folder, name);
    writeFileSync(file, printed === undefined ? '#!/bin/sh\nexit 127\n' : `#!/bin/sh\necho '${printed}'\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const pathOf = (...folders: string[]) => folders.map((f) => join(dir, f)).join(delimiter);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rs-tools-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the preferred aws only when it is v2, else the first v2 on PATH behind a pyenv v1 or a broken shim', () => {
    // Prepare: a pyenv-style v1 shim first on PATH, a broken one, then a v2.
    const v1 = tool('pyenv', 'aws', 'aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11');
    tool('broken', 'aws', undefined);
    const v2 = tool('usr-bin', 'aws', 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off');
    const pathEnv = pathOf('pyenv', 'broken', 'usr-bin');

    // Act
    const behindV1 = findAwsCliV2({ pathEnv, preferred: [v1] });
    const preferredV2 = findAwsCliV2({ pathEnv: pathOf('pyenv'), preferred: [v2] });
    const none = findAwsCliV2({ pathEnv: pathOf('pyenv', 'broken'), preferred: [join(dir, 'no-such', 'aws')] });

    // Assess
    expect(behindV1).toEqual({ path: v2, version: 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off' });
    expect(preferredV2?.path).toBe(v2);
    expect(none).toBeUndefined();
  });

  it('finds Chromium under either name on PATH', () => {
    const browser = tool('snap', 'chromium-browser', 'Chromium 120');

    expect(findChromium({ pathEnv: pathOf('empty', 'snap') })).toEqual({ path: browser });
    expect(findChromium({ pathEnv: pathOf('empty') })).toBeUndefined();
  });

  it('installs only what is missing, with apt-get update first, and nothing when all is there', () => {
    expect(installPlan({ awsCli: undefined, chromium: undefined })).toEqual({
      packages: ['awscli', 'chromium', 'fonts-liberation'],
      commands: [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', 'awscli', 'chromium', 'fonts-liberation'],
      ],
    });
    expect(installPlan({ awsCli: { path: '/usr/bin/aws' }, chromium: undefined }).packages).toEqual(['chromium', 'fonts-liberation']);
    expect(installPlan({ awsCli: { path: '/usr/bin/aws' }, chromium: { path: '/usr/bin/chromium' } })).toEqual({
      packages: [],
      commands: [],
    });
  });
});
