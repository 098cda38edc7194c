/**
 * s3rver stores each object as a file at `<state>/s3/<bucket>/<key segments...>` with `path.join`, so
 * a key with a `..` segment would write outside the state directory, `.` and empty segments would
 * make two keys share one file, and a segment longer than the file system's 255-byte name limit
 * crashes s3rver with an unhandled ENAMETOOLONG; the bucket part is joined the same way, so
 * `/..%2F../x` would climb out too. AWS S3 stores such keys; the local cloud refuses
 * them with a clear S3 error before s3rver sees them, and enforces S3's own 1,024-byte key limit
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { replyAfterBody, s3Error } from '../edge/router';

export interface KeyRefusal {
  status: number;
  code: string;
  message: string;
}

export const MAX_KEY_BYTES = 1024;
/** s3rver appends `._S3rver_object.md5` (20 bytes) to the last segment; 200 leaves room under 255. */
export const MAX_SEGMENT_BYTES = 200;

const decode = (path: string): string => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // koa-router keeps a malformed escape as it is, and so does s3rver
  }
};

const bytes = (text: string): number => Buffer.byteLength(text, 'utf-8');

/** S3's bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Why the object key of this path-style request (`/bucket/key`) cannot be stored locally, if it cannot. */
export const keyRefusal = (url: string): KeyRefusal | undefined => {
  // koa-router splits the path at `/` and then decodes each part, so an encoded `%2F` stays inside
  // the bucket name: check the bucket part as s3rver will see it, then the key decoded whole.
  const raw = (url.split('?')[0] ?? '/').slice(1);
  const rawSlash = raw.indexOf('/');
  const path = decode(raw);
  const slash = path.indexOf('/');
  return nameRefusal(decode(rawSlash < 0 ? raw : raw.slice(0, rawSlash)), slash < 0 ? '' : path.slice(slash + 1));
};

/** Why a bucket name and a key, decoded, cannot be stored locally, if they cannot; '' is none. */
export const nameRefusal = (bucket: string, key: string): KeyRefusal | undefined => {
  if (bucket !== '' && (!BUCKET_NAME.test(bucket) || bucket.includes('..'))) {
    return { status: 400, code: 'InvalidBucketName', message: 'The specified bucket is not valid.' };
  }
  if (key === '') return undefined; // a bucket-level request
  if (bytes(key) > MAX_KEY_BYTES) {
    return { status: 400, code: 'KeyTooLongError', message: `Your key is too long: ${bytes(key)} bytes, S3 allows ${MAX_KEY_BYTES}.` };
  }
  const segments = key.split('/');
  if (segments[segments.length - 1] === '') segments.pop(); // `folder/` is a folder marker, stored as one
  const bad = segments.find((s) => s === '' || s === '.' || s === '..' || s.includes('\u0000') || bytes(s) > MAX_SEGMENT_BYTES);
  if (bad === undefined) return undefined;
  const what =
    bad === ''
      ? 'an empty segment (//)'
      : bad === '.' || bad === '..'
        ? `a "${bad}" segment`
        : bad.includes('\u0000')
          ? 'a NUL character'
          : `a segment of ${bytes(bad)} bytes`;
  return {
    status: 400,
    code: 'InvalidArgument',
    message:
      `The local cloud stores each object as a file and cannot store a key with ${what}; ` +
      `segments must be 1 to ${MAX_SEGMENT_BYTES} bytes, not "." or "..". AWS S3 accepts it: rename the object to use it locally.`,
  };
};

/**
 * CopyObject names its source in `x-amz-copy-source`: bucket and key, URL-encoded, with an optional
 * leading `/` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html). s3rver joins them
 * to its folder as it does a URL's (a `../` source answered 500), so the same rules apply to them, with
 * 400 InvalidArgument for a source the local cloud cannot read. s3rver also takes the header from a
 * query parameter of that name (a presigned URL's), which is checked the same way.
 */
export const copySourceRefusal = (value: string): KeyRefusal | undefined => {
  const invalid = (message: string): KeyRefusal => ({ status: 400, code: 'InvalidArgument', message });
  let source: string;
  try {
    source = decodeURIComponent(value.split('?')[0] ?? '');
  } catch {
    return invalid('Invalid copy source encoding.');
  }
  const path = source.startsWith('/') ? source.slice(1) : source;
  const slash = path.indexOf('/');
  if (slash <= 0) return invalid('Invalid copy source: it must name a bucket and a key, as bucket/key.');
  const refusal = nameRefusal(path.slice(0, slash), path.slice(slash + 1));
  return refusal && invalid(`Invalid copy source: ${refusal.message}`);
};

/**
 * The header as s3rver must read it: s3rver decodes it with `decodeURI`, which leaves `%2F` and the like
 * encoded, so a source S3 reads as `a/b` was `a%2Fb` to s3rver (NoSuchKey). Call once the source is checked.
 */
export const canonicalCopySource = (value: string): string => {
  const query = value.indexOf('?');
  const [source, rest] = query < 0 ? [value, ''] : [value.slice(0, query), value.slice(query)];
  return encodeURI(decodeURIComponent(source)) + rest;
};

const copySourcesRefusal = (req: IncomingMessage, url: string): KeyRefusal | undefined => {
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const fromQuery = [...query].filter(([name]) => name.toLowerCase() === 'x-amz-copy-source').map(([, value]) => value);
  const header = req.headers['x-amz-copy-source'];
  for (const source of [...fromQuery, ...(header === undefined ? [] : [String(header)])]) {
    const refusal = copySourceRefusal(source);
    if (refusal) return refusal;
  }
  return undefined;
};

/** s3rver's upload ids (`crypto.randomBytes(16).toString('hex')`): the only ones an upload can have locally. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html: "a positive integer between 1 and 10,000". */
const PART_NUMBER = /^[1-9]\d{0,4}$/;
const MAX_PART_NUMBER = 10_000;

/**
 * Why the query of this request cannot be served locally, if it cannot. s3rver joins the `uploadId`
 * and `partNumber` parameters to its uploads folder (so `uploadId=../../x` wrote and removed files
 * outside it); an upload id s3rver did not issue names no upload (NoSuchUpload, as S3 answers), and a
 * part number is 1 to 10,000.
 */
export const queryRefusal = (url: string): KeyRefusal | undefined => {
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  if (query.has('uploadId')) {
    const ids = query.getAll('uploadId');
    if (ids.length !== 1 || !UPLOAD_ID.test(ids[0] ?? '')) {
      return {
        status: 404,
        code: 'NoSuchUpload',
        message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      };
    }
  }
  if (query.has('partNumber')) {
    const parts = query.getAll('partNumber');
    if (parts.length !== 1 || !PART_NUMBER.test(parts[0] ?? '') || Number(parts[0]) > MAX_PART_NUMBER) {
      return {
        status: 400,
        code: 'InvalidArgument',
        message: `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`,
      };
    }
  }
  return undefined;
};

/**
 * Browser form uploads (POST Object, https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html)
 * take the key from a form field the path guard never sees, and s3rver parses them with busboy 0.3.1
 * (GHSA-wm7h-9275-46v2: a malformed body ends the process). Nothing in the product or its tools
 * uploads by form, so the local cloud refuses them all: a POST to a bucket must be DeleteObjects.
 */
export const formUploadRefusal = (method: string | undefined, url: string): KeyRefusal | undefined => {
  if (method !== 'POST') return undefined;
  const [path = '/', query = ''] = url.split('?');
  const isBucket = path.replace(/\/+$/, '').indexOf('/', 1) < 0;
  if (!isBucket || new URLSearchParams(query).has('delete')) return undefined;
  return {
    status: 405,
    code: 'MethodNotAllowed',
    message: 'The local cloud does not accept browser form uploads (POST Object); use PutObject.',
  };
};

/** Answers an S3 request whose key cannot be stored locally with the S3 error and returns true. */
export const refuseUnstorableKey = (req: IncomingMessage, res: ServerResponse): boolean => {
  const url = req.url ?? '/';
  const refusal = formUploadRefusal(req.method, url) ?? keyRefusal(url) ?? queryRefusal(url) ?? copySourcesRefusal(req, url);
  if (!refusal) return false;
  replyAfterBody(req, res, refusal.status, { 'content-type': 'application/xml' }, s3Error(refusal.code, refusal.message));
  return true;
};
