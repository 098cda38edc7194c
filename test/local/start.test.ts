import { processLines } from '../../local/start';
import type { SupervisionStatus } from '../../local/support/supervisor';

const dynamo: SupervisionStatus = { name: 'DynamoDB (dynalite)', state: 'running', restarts: 0, crashesInARow: 0 };
const models: SupervisionStatus = { name: 'model servers', state: 'running', restarts: 0, crashesInARow: 0 };
const cloud = (...processes: SupervisionStatus[]) => ({ processes: () => processes });

describe("npm start's lines about the supervised processes", () => {
  it('says nothing while no process has died', () => {
    expect(processLines(cloud(dynamo, models))).toEqual([]);
  });

  it('says how often a process was restarted and how it last ended', () => {
    const restarted: SupervisionStatus = {
      ...dynamo,
      restarts: 2,
      lastExit: { code: null, signal: 'SIGKILL', at: '2026-12-07T10:00:00.000Z' },
    };

    expect(processLines(cloud(restarted, { ...models, state: 'restarting', restarts: 1 }))).toEqual([
      'DynamoDB (dynalite) running: 2 restarts since the start, last exit SIGKILL at 2026-12-07T10:00:00.000Z',
      'model servers restarting: 1 restart since the start',
    ]);
  });

  it('says when a process is given up on, and why', () => {
    const failed: SupervisionStatus = {
      ...dynamo,
      state: 'failed',
      crashesInARow: 5,
      reason: 'DynamoDB (dynalite) crashed 5 times in a row',
    };

    expect(processLines(cloud(failed, models))).toEqual(['DynamoDB (dynalite) STOPPED: DynamoDB (dynalite) crashed 5 times in a row']);
  });
});
