import { batchOf, selectPrefix, TOP_LEVEL_BATCH } from '../../../core/status/batch';

describe('batches', () => {
  it('are the first folder under the input prefix, or "/" for a key directly under it', () => {
    expect(batchOf('input/batch-2026-11/a.txt', 'input/')).toBe('batch-2026-11');
    expect(batchOf('input/batch-2026-11/physics/b.txt', 'input/')).toBe('batch-2026-11');
    expect(batchOf('input/a.txt', 'input/')).toBe(TOP_LEVEL_BATCH);
    expect(TOP_LEVEL_BATCH).toBe('/');
  });

  it('are what a --prefix selects, with a key filter when the prefix goes deeper', () => {
    expect(selectPrefix(undefined, 'input/')).toEqual({ kind: 'all' });
    expect(selectPrefix('input/', 'input/')).toEqual({ kind: 'all' });
    expect(selectPrefix('input', 'input/')).toEqual({ kind: 'all' });
    expect(selectPrefix('batch-2026-11', 'input/')).toEqual({ kind: 'batch', batch: 'batch-2026-11' });
    expect(selectPrefix('input/batch-2026-11/', 'input/')).toEqual({ kind: 'batch', batch: 'batch-2026-11' });
    expect(selectPrefix('input/batch-2026-11/physics/', 'input/')).toEqual({
      kind: 'batch',
      batch: 'batch-2026-11',
      keyPrefix: 'input/batch-2026-11/physics/',
    });
  });
});
