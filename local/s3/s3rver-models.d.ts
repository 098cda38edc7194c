// s3rver's error and object models, which the local store answers with (s3rver ships no types).
declare module 's3rver/lib/models/error' {
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, unknown>);
    readonly code: string;
    readonly status: number;
  }
  export = S3Error;
}

declare module 's3rver/lib/models/object' {
  class S3Object {
    /** The system metadata s3rver keeps with an object (Content-Type and the like); `x-amz-meta-*` too. */
    static ALLOWED_METADATA: string[];
    constructor(bucket: string, key: string, content: unknown, metadata: Record<string, unknown>);
    metadata: Record<string, string | number>;
    range?: { start: number; end: number };
    readonly size: number;
  }
  export = S3Object;
}
