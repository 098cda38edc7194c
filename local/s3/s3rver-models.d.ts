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
    bucket: string;
    key: string;
    metadata: Record<string, string | number>;
    /** The bytes: a stream when read from the store, what was given when written. */
    content: unknown;
    range?: { start: number; end: number };
    readonly size: number;
  }
  export = S3Object;
}

declare module 's3rver/lib/models/event' {
  import type S3Object from 's3rver/lib/models/object';
  /** The `event` s3rver emits for an object created (`Put`, `Copy`, `Post`) or removed (`Delete`). */
  class S3Event {
    constructor(
      eventData: { bucket: string; eventType: 'Put' | 'Copy' | 'Post' | 'Delete'; S3Item: S3Object },
      reqParams: { reqHeaders: { host: string }; sourceIp: string },
    );
  }
  export = S3Event;
}
