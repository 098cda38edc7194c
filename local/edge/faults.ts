/**
 * Fault injection for S3 and DynamoDB at the edge, off by default: a share of requests is refused
 * the way the real services refuse under load, half as throttling and half as a 5xx. The SDK's
 * standard retry mode backs off and retries both (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html),
 * so a function only fails when every attempt is refused, and then Lambda's own retries and the
 * failure destination take over. Duplicate deliveries of S3 and SNS events can be injected too. Set
 * with `npm start -- --s3-error-rate 0.05 --dynamodb-error-rate 0.05 --duplicate-rate 0.05` or at run
 * time with `PUT /_localcloud/faults {"s3":0.05,"dynamodb":0.05,"duplicates":0.05}`.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { replyAfterBody, s3Error } from './router';

export interface FaultRates {
  s3: number;
  dynamodb: number;
  /** Share of S3 and SNS deliveries to a function made twice: both services deliver at least once. */
  duplicates: number;
}

export type FaultService = 's3' | 'dynamodb';

export const NO_FAULTS: FaultRates = { s3: 0, dynamodb: 0, duplicates: 0 };
const SETTINGS = Object.keys(NO_FAULTS) as (keyof FaultRates)[];

/** The documented error shapes: S3 REST-XML errors, DynamoDB JSON `__type` errors. */
const REPLIES: Record<FaultService, Array<{ status: number; contentType: string; body: () => string }>> = {
  s3: [
    // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html: SlowDown 503, InternalError 500.
    { status: 503, contentType: 'application/xml', body: () => s3Error('SlowDown', 'Please reduce your request rate.') },
    {
      status: 500,
      contentType: 'application/xml',
      body: () => s3Error('InternalError', 'We encountered an internal error. Please try again.'),
    },
  ],
  dynamodb: [
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
    {
      status: 400,
      contentType: 'application/x-amz-json-1.0',
      body: () => dynamoError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.'),
    },
    { status: 500, contentType: 'application/x-amz-json-1.0', body: () => dynamoError('InternalServerError', 'Internal server error') },
  ],
};

const dynamoError = (type: string, message: string) => JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });

export const parseFaultRates = (value: unknown): FaultRates => {
  const input = (value ?? {}) as Record<string, unknown>;
  const rate = (name: keyof FaultRates): number => {
    const raw = input[name] ?? 0;
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(n) || n < 0 || n > 1)
      throw new Error(`the ${name} error rate must be a number from 0 to 1; got ${JSON.stringify(raw)}`);
    return n;
  };
  const unknown = Object.keys(input).filter((k) => !(SETTINGS as string[]).includes(k));
  if (unknown.length > 0) throw new Error(`unknown fault setting(s) ${unknown.join(', ')}: use ${SETTINGS.join(', ')}`);
  return { s3: rate('s3'), dynamodb: rate('dynamodb'), duplicates: rate('duplicates') };
};

export class FaultInjector {
  private current: FaultRates;
  readonly injected: Record<keyof FaultRates, number> = { s3: 0, dynamodb: 0, duplicates: 0 };

  constructor(
    rates: FaultRates = NO_FAULTS,
    private readonly random: () => number = Math.random,
  ) {
    this.current = { ...rates };
  }

  get rates(): FaultRates {
    return { ...this.current };
  }

  set(rates: FaultRates): void {
    this.current = { ...rates };
  }

  /** How many times to deliver an event: 2 for an injected duplicate delivery, else 1. */
  deliveries(): number {
    if (this.current.duplicates === 0 || this.random() >= this.current.duplicates) return 1;
    this.injected.duplicates++;
    return 2;
  }

  /** Answers the request with an injected error and returns true, or returns false to let it through. */
  refuse(service: FaultService, req: IncomingMessage, res: ServerResponse): boolean {
    if (this.current[service] === 0 || this.random() >= this.current[service]) return false;
    this.injected[service]++;
    const choices = REPLIES[service];
    const reply = choices[Math.floor(this.random() * choices.length)] ?? choices[0]!;
    replyAfterBody(req, res, reply.status, { 'content-type': reply.contentType, 'x-amzn-requestid': randomUUID() }, reply.body());
    return true;
  }
}
