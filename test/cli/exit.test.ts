import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { endingWhenReaderCloses, exitWhenFlushed } from '../../cli/exit';

describe('the one exit path of the command line', () => {
  it('exits only once everything written has been taken by the reader', async () => {
    // Prepare: a stream that takes one 1 KiB chunk per turn of the event loop, given 256 KiB at once.
    let taken = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        taken += chunk.length;
        setImmediate(done);
      },
    });
    const exits: Array<{ code: number; taken: number }> = [];
    for (let i = 0; i < 256; i++) slow.write(Buffer.alloc(1024, 'x'));

    // Act
    await exitWhenFlushed(3, [slow], (code) => exits.push({ code, taken }));

    // Assess
    expect(exits).toEqual([{ code: 3, taken: 256 * 1024 }]);
  });

  it('ends at once with 0 when the reader has gone (EPIPE), and lets any other write error through', () => {
    const stdout = Object.assign(new EventEmitter(), { write: () => true });
    const codes: number[] = [];
    endingWhenReaderCloses([stdout], (code) => codes.push(code));

    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));

    expect(codes).toEqual([0]);
    expect(() => stdout.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('write EIO');
  });
});
