/**
 * How a request ends: its output or failure object in S3, the metrics, the notification to the
 * success or error topic, and the journal entry that makes it terminal.
 * https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html
 */

import type { SimulatedClock } from './clock';
import { failureReasons, putObject, type InvocationOutcome } from './invocation';
import type { MetricsRecorder } from './metrics';
import { buildNotification, includeResponseBody, topicFor, type NotificationFacts } from './notifier';
import type { PersistentQueue, QueuedRequest, TerminalStatus } from './queue';
import type { AsyncEndpointOptions, EndpointTotals } from './types';
import { describeError } from '../../core/errors';

export type FailedOutcome = Extract<InvocationOutcome, { kind: 'failed' }>;
export type CompletedOutcome = Extract<InvocationOutcome, { kind: 'completed' }>;

export interface OutcomeDeps {
  options: AsyncEndpointOptions;
  clock: SimulatedClock;
  queue: PersistentQueue;
  metrics: MetricsRecorder;
  totals: EndpointTotals;
  /** Called once a request is terminal in the journal. */
  onFinished: (request: QueuedRequest) => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

/** A failure described in text: the failure object holds the reason itself. */
export const failedWith = (reason: string): FailedOutcome => ({
  kind: 'failed',
  reason,
  detail: Buffer.from(reason),
  detailContentType: 'text/plain; charset=utf-8',
});

export class Outcomes {
  constructor(private readonly deps: OutcomeDeps) {}

  /** 2xx: the body goes to OutputLocation with the model's content type, then the success notification. */
  async complete(request: QueuedRequest, outcome: CompletedOutcome): Promise<void> {
    const { options, metrics, totals } = this.deps;
    const uploadError = await putObject(options.objects, request.outputLocation, outcome.body, outcome.contentType);
    if (uploadError) {
      metrics.count('ResponseUploadFailures');
      await this.fail(request, failedWith(failureReasons.upload(request.outputLocation, uploadError)));
      return;
    }
    metrics.count('InvocationsProcessed');
    totals.completed++;
    await this.notify(request, 'Completed', {
      responseParameters: { ...(outcome.contentType ? { contentType: outcome.contentType } : {}), outputLocation: request.outputLocation },
      body: outcome.body,
    });
    this.finish(request, 'Completed');
  }

  /**
   * Failure: the failure object (model error body or a description) at FailureLocation when
   * S3FailurePath is set, InvocationFailures, and the error notification. The notification names the
   * failure object in responseParameters.failureLocation: whether SageMaker does is UNVERIFIED
   * (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html); the emulator does it on purpose, for consumers to find the details.
   */
  async fail(request: QueuedRequest, outcome: FailedOutcome): Promise<void> {
    const { options, metrics, totals, log } = this.deps;
    if (outcome.metric) metrics.count(outcome.metric);
    let failureLocation: string | undefined;
    if (request.failureLocation) {
      const error = await putObject(options.objects, request.failureLocation, outcome.detail, outcome.detailContentType);
      if (error) {
        metrics.count('ResponseUploadFailures');
        log('failure object upload failed', { inferenceId: request.inferenceId, failureLocation: request.failureLocation, error });
      } else {
        failureLocation = request.failureLocation;
      }
    }
    metrics.count('InvocationsProcessed');
    metrics.count('InvocationFailures');
    totals.failed++;
    await this.notify(request, 'Failed', {
      failureReason: outcome.reason,
      ...(failureLocation
        ? { responseParameters: { ...(outcome.modelBody ? { contentType: outcome.detailContentType } : {}), failureLocation } }
        : {}),
      ...(outcome.modelBody ? { body: outcome.modelBody } : {}),
    });
    this.finish(request, 'Failed');
  }

  /** "ExpiredRequests: number of requests in the queue that fail due to reaching their specified request TTL" (async-inference-monitor). */
  async expire(request: QueuedRequest): Promise<void> {
    const { metrics, totals, log } = this.deps;
    metrics.count('ExpiredRequests');
    totals.expired++;
    log('inference expired in the queue', { inferenceId: request.inferenceId, requestTtlSeconds: request.requestTtlSeconds });
    await this.notify(request, 'Failed', { failureReason: failureReasons.expired(request.requestTtlSeconds) });
    this.finish(request, 'Expired');
  }

  private async notify(
    request: QueuedRequest,
    status: 'Completed' | 'Failed',
    extra: Pick<NotificationFacts, 'failureReason' | 'responseParameters'> & { body?: Buffer },
  ): Promise<void> {
    const { options, metrics, totals, log } = this.deps;
    const topic = topicFor(options.endpoint, status);
    if (!topic) return;
    const responseBody = includeResponseBody(options.endpoint, status, extra.body);
    const message = buildNotification({
      region: options.region,
      endpointName: options.endpoint.endpointName,
      request,
      status,
      eventTime: new Date(),
      ...(extra.failureReason !== undefined ? { failureReason: extra.failureReason } : {}),
      ...(extra.responseParameters ? { responseParameters: extra.responseParameters } : {}),
      ...(responseBody ? { responseBody } : {}),
    });
    try {
      await options.publish(topic, JSON.stringify(message));
    } catch (error) {
      // NotificationFailures; the result itself is already in S3, so nothing else is undone.
      metrics.count('NotificationFailures');
      totals.notificationFailures++;
      log('notification failed', { inferenceId: request.inferenceId, topic, error: describeError(error) });
    }
  }

  private finish(request: QueuedRequest, status: TerminalStatus): void {
    const now = this.deps.clock.nowMs();
    this.deps.metrics.observe('TotalProcessingTimeMs', now - request.receivedAt);
    this.deps.queue.finish(request, status, now);
    this.deps.onFinished(request);
    this.deps.log('inference finished', { inferenceId: request.inferenceId, status });
  }
}
