import { InvokeEndpointAsyncCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { AcceptedInference, InferenceQueue, InferenceRequest } from '../core/ports';

/** The endpoint's queue: InvokeEndpointAsync with the request already in S3 (InputLocation). */
export class SageMakerInferenceQueue implements InferenceQueue {
  constructor(
    private readonly sagemaker: SageMakerRuntimeClient,
    private readonly endpointName: string,
  ) {}

  async submit(request: InferenceRequest): Promise<AcceptedInference> {
    const reply = await this.sagemaker.send(
      new InvokeEndpointAsyncCommand({
        EndpointName: this.endpointName,
        InferenceId: request.inferenceId,
        InputLocation: request.inputLocation,
        ContentType: request.contentType,
        Accept: request.accept,
        RequestTTLSeconds: request.requestTtlSeconds,
        InvocationTimeoutSeconds: request.invocationTimeoutSeconds,
      }),
    );
    // The output key is a fresh UUID chosen by SageMaker, not the InferenceId: keep what it returns.
    if (!reply.OutputLocation) throw new Error('InvokeEndpointAsync returned no OutputLocation');
    return {
      outputLocation: reply.OutputLocation,
      ...(reply.FailureLocation ? { failureLocation: reply.FailureLocation } : {}),
    };
  }
}
