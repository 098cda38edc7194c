import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { AcceptedInference, Clock, InferenceQueue, InferenceRequest } from '../../core/ports';

/** Records submissions and answers like InvokeEndpointAsync: a fresh `<uuid>.out` per request. */
export class RecordingInferenceQueue implements InferenceQueue {
  readonly requests: InferenceRequest[] = [];
  failWith: Error | undefined;

  constructor(private readonly bucket: string) {}

  async submit(request: InferenceRequest): Promise<AcceptedInference> {
    if (this.failWith) throw this.failWith;
    this.requests.push(request);
    const id = randomUUID();
    return { outputLocation: `s3://${this.bucket}/outputs/${id}.out`, failureLocation: `s3://${this.bucket}/failures/${id}-error.out` };
  }
}

export const fixedClock = (iso = '2026-11-26T10:00:00.000Z'): Clock & { set(iso: string): void } => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
};

export const silentLogger = (): Logger => new Logger({ logLevel: 'SILENT' });
