/**
 * The SageMaker endpoint, read from the packaged template: its name, production variant and
 * AsyncInferenceConfig (output and failure paths, notification topics, concurrency per instance).
 */

import type { AsyncEndpointConfig } from '../sagemaker-async/types';
import type { TemplateView } from './template-view';

export const endpointOf = ({ ofType, ev, resolver }: TemplateView): AsyncEndpointConfig => {
  const [endpointId] = ofType('AWS::SageMaker::Endpoint')[0] ?? [];
  const [, configResource] = ofType('AWS::SageMaker::EndpointConfig')[0] ?? [];
  if (!endpointId || !configResource) throw new Error('the packaged template has no SageMaker endpoint');
  const ec = ev<{
    ProductionVariants: { VariantName: string; InitialInstanceCount?: number }[];
    AsyncInferenceConfig: {
      ClientConfig?: { MaxConcurrentInvocationsPerInstance?: number };
      OutputConfig: {
        S3OutputPath: string;
        S3FailurePath?: string;
        NotificationConfig?: {
          SuccessTopic?: string;
          ErrorTopic?: string;
          IncludeInferenceResponseIn?: ('SUCCESS_NOTIFICATION_TOPIC' | 'ERROR_NOTIFICATION_TOPIC')[];
        };
      };
    };
  }>(configResource.Properties);
  const variant = ec.ProductionVariants[0];
  const output = ec.AsyncInferenceConfig.OutputConfig;
  return {
    endpointName: resolver.getAtt(endpointId, 'EndpointName'),
    variantName: variant?.VariantName ?? 'AllTraffic',
    initialInstanceCount: variant?.InitialInstanceCount ?? 1,
    // Unset means SageMaker chooses; 1 is the conservative local stand-in.
    maxConcurrentInvocationsPerInstance: Number(ec.AsyncInferenceConfig.ClientConfig?.MaxConcurrentInvocationsPerInstance ?? 1),
    s3OutputPath: output.S3OutputPath,
    ...(output.S3FailurePath ? { s3FailurePath: output.S3FailurePath } : {}),
    ...(output.NotificationConfig?.SuccessTopic ? { successTopicArn: output.NotificationConfig.SuccessTopic } : {}),
    ...(output.NotificationConfig?.ErrorTopic ? { errorTopicArn: output.NotificationConfig.ErrorTopic } : {}),
    ...(output.NotificationConfig?.IncludeInferenceResponseIn
      ? { includeInferenceResponseIn: output.NotificationConfig.IncludeInferenceResponseIn }
      : {}),
  };
};
