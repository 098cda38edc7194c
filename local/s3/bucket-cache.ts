/**
 * s3rver's store as far as bucket-level state goes: the bucket folder, and the bucket's CORS and
 * website configuration files (subresources with no key).
 */
export interface S3rverStore {
  getBucket(bucket: string): Promise<unknown>;
  putBucket(bucket: string): Promise<unknown>;
  deleteBucket(bucket: string): Promise<unknown>;
  getSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
  putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<unknown>;
  deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<unknown>;
}

/**
 * Every S3 request to s3rver stats the bucket's folder and reads its CORS and website files (two
 * reads that fail with ENOENT, each building an Error): in a 3,000-article burst these were a tenth
 * of the local cloud's main thread. Bucket-level state changes only through this store, so its
 * answers are kept here and dropped on every write to them; object-level subresources are not cached.
 */
export const cacheBucketState = (store: S3rverStore): void => {
  const buckets = new Map<string, Promise<unknown>>();
  const subresources = new Map<string, Promise<unknown>>();
  const { getBucket, putBucket, deleteBucket, getSubresource, putSubresource, deleteSubresource } = store;
  const forget = (bucket: string) => {
    buckets.delete(bucket);
    for (const id of subresources.keys()) if (id.startsWith(`${bucket}/`)) subresources.delete(id);
  };
  // A failed answer is never kept; `keep` says which others are.
  const remember = <T>(cache: Map<string, Promise<T>>, id: string, load: () => Promise<T>, keep: (value: T) => boolean): Promise<T> => {
    const known = cache.get(id);
    if (known) return known;
    const loading = load();
    cache.set(id, loading);
    loading.then(
      (value) => keep(value) || cache.delete(id),
      () => cache.delete(id),
    );
    return loading;
  };

  /** A write through the store, then its cached answers dropped: a read meanwhile cannot outlive it. */
  const thenForget = async <T>(write: Promise<T>, drop: () => void): Promise<T> => {
    try {
      return await write;
    } finally {
      drop();
    }
  };

  store.getBucket = (bucket) =>
    remember(
      buckets,
      bucket,
      () => getBucket.call(store, bucket),
      (found) => Boolean(found),
    );
  store.putBucket = (bucket) => thenForget(putBucket.call(store, bucket), () => forget(bucket));
  store.deleteBucket = (bucket) => thenForget(deleteBucket.call(store, bucket), () => forget(bucket));
  store.getSubresource = (bucket, key, type) =>
    key === undefined
      ? remember(
          subresources,
          `${bucket}/${type}`,
          () => getSubresource.call(store, bucket, key, type),
          () => true,
        )
      : getSubresource.call(store, bucket, key, type);
  store.putSubresource = (bucket, key, resource) =>
    thenForget(putSubresource.call(store, bucket, key, resource), () => subresources.delete(`${bucket}/${resource.type}`));
  store.deleteSubresource = (bucket, key, type) =>
    thenForget(deleteSubresource.call(store, bucket, key, type), () => subresources.delete(`${bucket}/${type}`));
};
