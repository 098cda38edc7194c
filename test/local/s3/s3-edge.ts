import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { errorReply, startEdge, type RequestHandler } from '../../../local/edge/router';
import { mountS3rver, type S3Mount, type S3MountOptions } from '../../../local/s3/mount';

export const BUCKET = 'atomic-test';

/**
 * The edge with S3 only (s3rver behind its guards) on a free port, with a state folder of its own. No
 * functions and no endpoint run, so nothing but the test opens the store's files.
 */
export interface S3Edge {
  url: string;
  port: number;
  /** The state folder: the store (`s3/`) and whatever else the S3 mount keeps beside it. */
  stateDir: string;
  s3: S3Client;
  /** The S3 mount behind the edge: its store and its s3rver (events). */
  mount: S3Mount;
  close(): Promise<void>;
}

export const startS3Edge = async (
  stateDir = mkdtempSync(join(tmpdir(), 'rs-s3-')),
  options: Pick<S3MountOptions, 'commitFs'> = {},
): Promise<S3Edge> => {
  const mount = await mountS3rver({ directory: join(stateDir, 's3'), bucket: BUCKET, ...options });
  const notHere: RequestHandler = (_req, res) => errorReply(res, 404, 'only S3 runs in this test');
  const edge = await startEdge({ s3: mount.handle, dynamodb: notHere, sagemaker: notHere, sns: notHere, internal: notHere }, 0);
  const s3 = new S3Client({
    endpoint: edge.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    url: edge.url,
    port: Number(new URL(edge.url).port),
    stateDir,
    s3,
    mount,
    close: async () => {
      s3.destroy();
      await edge.close();
      mount.close();
    },
  };
};

export const removeStateDir = (edge: S3Edge): void => rmSync(edge.stateDir, { recursive: true, force: true });

/** SigV4-shaped headers with a current date (s3rver checks the date's skew, never the signature). */
export const signedHeaders = (service = 's3'): Record<string, string> => {
  const date = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=test/${date.slice(0, 8)}/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
    'x-amz-date': date,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  };
};

/** The query of a presigned URL: SigV4 in the query string, with any credentials and signature. */
export const presignedQuery = (): string => {
  const date = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  return new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `test/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
    'X-Amz-Date': date,
    'X-Amz-Expires': '300',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': '0',
  }).toString();
};

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request as any HTTP client could send it, on a connection of its own. */
export const raw = (port: number, method: string, path: string, headers: Record<string, string> = {}, body: string | Buffer = '') =>
  new Promise<Reply>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });

/** This process's open descriptors on files under `folder`, as fd number → path (Linux /proc). */
export const openFilesUnder = (folder: string): Map<string, string> => {
  const open = new Map<string, string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`${folder}/`)) open.set(fd, target);
    } catch {
      // closed while listing
    }
  }
  return open;
};

/** The size of the file an open descriptor points to, or undefined once it is closed. */
export const sizeOfOpenFile = (fd: string): number | undefined => {
  try {
    return statSync(`/proc/self/fd/${fd}`).size;
  } catch {
    return undefined;
  }
};
