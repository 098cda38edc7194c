import { deflateSync } from 'node:zlib';
import { expandedStreamBytes } from '../../../../core/documents/pdf/stream-expansion';
import { rawPdf, streamBomb } from '../../../support/documents/pdf-hostile';

const MB = 1024 * 1024;

const withStream = (dictionary: string, data: Buffer): Uint8Array =>
  rawPdf([
    '<< /Type /Catalog >>',
    Buffer.concat([Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]),
  ]);

describe('how far a PDF expands when its streams are inflated', () => {
  it('counts what the FlateDecode streams inflate to', async () => {
    const bytes = withStream('/Filter /FlateDecode', deflateSync(Buffer.alloc(300_000, 'BT (text) Tj ET ')));

    expect(await expandedStreamBytes(bytes, 10 * MB)).toBe(300_000);
  });

  it('stops counting just past the cap, however far a stream compressed twice would go', async () => {
    const bytes = streamBomb(64 * MB, 2);

    const counted = await expandedStreamBytes(bytes, 4 * MB);

    expect(counted).toBeGreaterThan(4 * MB);
    expect(counted).toBeLessThan(5 * MB);
  });

  it('skips images, which reading text never decodes', async () => {
    const bytes = withStream(
      '/Type /XObject /Subtype /Image /Width 4000 /Height 4000 /Filter /FlateDecode',
      deflateSync(Buffer.alloc(16 * MB)),
    );

    expect(await expandedStreamBytes(bytes, 1 * MB)).toBe(0);
  });

  it('counts what a damaged stream gives before it breaks', async () => {
    const whole = deflateSync(Buffer.alloc(200_000, 'x'));
    const bytes = withStream('/Filter /FlateDecode', whole.subarray(0, Math.floor(whole.length / 2)));

    const counted = await expandedStreamBytes(bytes, 10 * MB);

    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThan(200_000);
  });
});
