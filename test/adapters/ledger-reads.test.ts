import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerRowsByKey } from '../../adapters/ledger-rows';
import { StateIndex } from '../../adapters/state-index';
import { startEmulators, type Emulators } from '../support/emulators';

const ROWS = 230;

describe('reading the ledger by key and through byState, for the commands and the dashboard (dynalite)', () => {
  let emu: Emulators;
  const sent: string[] = [];
  beforeAll(async () => {
    emu = await startEmulators();
    // 230 rows: more than two BatchGetItem calls' worth of keys. Every seventh FAILED, the rest COMPLETED.
    for (let i = 0; i < ROWS; i += 25) {
      const items = Array.from({ length: Math.min(25, ROWS - i) }, (_, j) => {
        const n = i + j;
        return {
          PutRequest: {
            Item: {
              articleId: `a${n}`,
              key: `input/k${n}.txt`,
              state: n % 7 === 0 ? 'FAILED' : 'COMPLETED',
              receivedAt: new Date(Date.UTC(2026, 10, 20, 0, 0, n)).toISOString(),
              summary: `summary ${n}`,
            },
          },
        };
      });
      await emu.dynamo.send(new BatchWriteCommand({ RequestItems: { [emu.table]: items } }));
    }
    emu.dynamo.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countOperations' },
    );
  });
  afterAll(async () => emu.stop());
  beforeEach(() => {
    sent.length = 0;
  });

  it('gets rows by articleId 100 keys a call, leaving out keys without a row', async () => {
    const ids = [...Array.from({ length: ROWS }, (_, i) => `a${i}`), 'missing'];

    const rows = await new LedgerRowsByKey(emu.dynamo, emu.table).get<{ articleId: string; key: string }>(ids, { consistent: true });

    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((r) => r.articleId)).size).toBe(ROWS);
    expect(sent).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
  });

  it('projects only the attributes asked for, reserved words included', async () => {
    const [row] = await new LedgerRowsByKey(emu.dynamo, emu.table).get(['a3'], { attributes: ['key', 'state'] });

    expect(row).toEqual({ key: 'input/k3.txt', state: 'COMPLETED' });
  });

  it('counts rows per state with Query only, never a Scan', async () => {
    const counts = await new StateIndex(emu.dynamo, emu.table).counts();

    expect(counts).toEqual({ QUEUED: 0, COMPLETED: ROWS - 33, FAILED: 33, REJECTED: 0, EXPIRED: 0 });
    expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
  });

  it('lists the latest rows of a state whole: their keys from byState (which projects a few attributes), the rows by key', async () => {
    const latest = await new StateIndex(emu.dynamo, emu.table).latest('FAILED', 2);

    expect(latest.map((r) => [r.key, r.summary])).toEqual([
      ['input/k224.txt', 'summary 224'],
      ['input/k217.txt', 'summary 217'],
    ]);
    expect(sent).toEqual(['QueryCommand', 'BatchGetItemCommand']);
  });
});
