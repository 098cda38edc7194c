import { EventEmitter } from 'node:events';
import { keepServingOnUncaughtErrors, processLines } from '../../local/start';
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

describe("the local cloud's last-resort handler", () => {
  it('logs an uncaught exception or rejection and lets the process keep serving', () => {
    const proc = new EventEmitter();
    const logged: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      keepServingOnUncaughtErrors(proc as unknown as NodeJS.Process, (message, fields) =>
        logged.push(`${message} ${String(fields?.error).split('\n')[0]}`),
      );

      proc.emit('uncaughtException', new URIError('URI malformed'));
      proc.emit('unhandledRejection', 'a reason');

      expect(logged).toEqual([
        'uncaught exception: the local cloud keeps serving URIError: URI malformed',
        'unhandled rejection: the local cloud keeps serving a reason',
      ]);
      expect(stderr).toHaveBeenCalledTimes(2);
    } finally {
      stderr.mockRestore();
    }
  });
});
