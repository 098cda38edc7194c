import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheBucketState, type S3rverStore } from '../../../local/s3/bucket-cache';

// s3rver's own store and config model, as the local cloud runs them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (dir: string) => S3rverStore;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getConfigModel } = require('s3rver/lib/models/config') as { getConfigModel(type: string): new (xml: string) => { type: string } };

const CORS =
  '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>';

describe("s3rver's bucket state, cached", () => {
  let dir: string;
  let store: S3rverStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's3rver-cache-'));
    store = new FilesystemStore(dir);
    cacheBucketState(store);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a bucket's CORS file once: a change made behind the store's back is not seen", async () => {
    // Prepare
    await store.putBucket('b');
    expect(await store.getSubresource('b', undefined, 'cors')).toBeNull();

    // Act: the file appears without the store knowing.
    writeFileSync(join(dir, 'b', 'cors.xml'), CORS);

    // Assess
    expect(await store.getSubresource('b', undefined, 'cors')).toBeNull();
  });

  it('sees every change made through the store: bucket created, configured, unconfigured, deleted', async () => {
    const Cors = getConfigModel('cors');
    const before = await store.getBucket('b');
    await store.putBucket('b');
    const created = await store.getBucket('b');
    await store.getSubresource('b', undefined, 'cors');
    await store.putSubresource('b', undefined, new Cors(CORS));
    const configured = await store.getSubresource('b', undefined, 'cors');
    await store.deleteSubresource('b', undefined, 'cors');
    const unconfigured = await store.getSubresource('b', undefined, 'cors');
    await store.deleteBucket('b');

    expect(before).toBeNull();
    expect(created).toMatchObject({ name: 'b' });
    expect(configured).toMatchObject({ type: 'cors' });
    expect(unconfigured).toBeNull();
    expect(await store.getBucket('b')).toBeNull();
  });
});
