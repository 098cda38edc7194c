/**
 * The public surface of the emulated SageMaker asynchronous inference endpoint, which
 * start-async-endpoint.ts starts; the behaviour lives in the modules named after AWS concepts next to this file.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SupervisionStatus } from '../support/supervisor';
import type { SimulatedClock } from './clock';
import type { CountMetric } from './metrics';
import type { ObjectStore } from './object-store';

/** The parts of AWS::SageMaker::EndpointConfig (ProductionVariant + AsyncInferenceConfig) the emulator honours. */
export interface AsyncEndpointConfig {
  endpointName: string;
  variantName: string;
  initialInstanceCount: number;
  maxConcurrentInvocationsPerInstance: number;
  /** s3://bucket/prefix, no trailing slash: `/<uuid>.out` is appended. */
  s3OutputPath: string;
  s3FailurePath?: string;
  successTopicArn?: string;
  errorTopicArn?: string;
  includeInferenceResponseIn?: Array<'SUCCESS_NOTIFICATION_TOPIC' | 'ERROR_NOTIFICATION_TOPIC'>;
}

/** Application Auto Scaling, as declared in resources/autoscaling.yml. */
export interface ScalingConfig {
  minCapacity: number;
  maxCapacity: number;
  /** Target tracking on ApproximateBacklogSizePerInstance (Average); its two alarms are generated (autoscaler.ts). */
  targetTracking?: {
    targetValue: number;
    scaleInCooldownS: number;
    scaleOutCooldownS: number;
    /** PolicyName, for scaling activities; defaults to `<endpoint>-backlog-per-instance` as in autoscaling.yml. */
    policyName?: string;
  };
  /** The scale-from-zero step policy and the HasBacklogWithoutCapacity alarm that triggers it. */
  stepScaling?: {
    cooldownS: number;
    /** How scalingAdjustment is read; default ChangeInCapacity, as in autoscaling.yml. */
    adjustmentType?: 'ChangeInCapacity' | 'ExactCapacity';
    scalingAdjustment: number;
    /** Defaults to `<endpoint>-scale-out-from-zero` as in autoscaling.yml. */
    policyName?: string;
    /** alarmName defaults to `<endpoint>-HasBacklogWithoutCapacity`. */
    alarm: MetricAlarm;
  };
  /** The step policy to ExactCapacity `capacity` (0) and the idle alarm that triggers it. */
  scaleInToZero?: {
    cooldownS: number;
    capacity: number;
    /** Defaults to `<endpoint>-scale-in-to-zero` as in autoscaling.yml. */
    policyName?: string;
    /** alarmName defaults to `<endpoint>-EndpointIdle`. */
    alarm: MetricAlarm;
  };
}

/**
 * When CloudWatch can read the endpoint's metrics and when it evaluates each alarm, on the simulated
 * clock. Neither is documented for SageMaker: the defaults are in metrics.ts (publication) and
 * scaling-loop.ts (evaluation).
 */
export interface CloudWatchTiming {
  /**
   * Simulated seconds after a metric minute ends before its datapoint can be read, per metric; `default`
   * for the others.
   */
  publicationDelayS?: { default?: number } & Partial<Record<AlarmMetricName, number>>;
  /** Second of each minute, 0 up to 60, at which an alarm is evaluated, by alarm name; others get one derived from their name. */
  evaluationOffsetS?: Record<string, number>;
}

/** One model server honouring the SageMaker hosting contract: GET /ping and POST /invocations. */
export interface ModelInstance {
  url: string;
  stop(): Promise<void>;
  /** The model server's process, when it is one. */
  pid?: number;
  /** Settles when the process exits, asked or not; the fleet replaces an instance whose process died. */
  exited?: Promise<{ code: number | null; signal: string | null }>;
}

export interface AsyncEndpointOptions {
  region: string;
  accountId: string;
  endpoint: AsyncEndpointConfig;
  scaling: ScalingConfig;
  /** Persistent state (request journal, inline bodies); created if missing. */
  stateDir: string;
  /** Simulated seconds per real second (default 1). See clock.ts for what runs on which clock. */
  timeScale?: number;
  /** Simulated seconds from "scale out" to the earliest InService (default 120). */
  provisioningDelayS?: number;
  /** Where the endpoint reads inputs and writes outputs and failures (object-store.ts). */
  objects: ObjectStore;
  /** SNS Publish; the caller delivers the message. A rejection counts as a NotificationFailure. */
  publish(topicArn: string, message: string): Promise<void>;
  /** Starts one model-server process; resolves when it listens. */
  launchInstance(instanceId: string): Promise<ModelInstance>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Replaces the real clock (and timeScale), e.g. with manualClock() in tests. */
  clock?: SimulatedClock;
  /** Real seconds a launched instance may take to answer GET /ping with 200 before it is replaced (default 600). */
  startupHealthCheckTimeoutS?: number;
  /**
   * The endpoint exists already (the local cloud starting): its initial instances skip the
   * provisioning delay. Default false: they provision as after CreateEndpoint.
   */
  initialInstancesInService?: boolean;
  /** Largest InputLocation object the endpoint reads (default 1 GiB, invocation.ts MAX_INPUT_BYTES); tests set less. */
  maxInputBytes?: number;
  /** When CloudWatch can read each metric and evaluates each alarm (defaults: metrics.ts, scaling-loop.ts). */
  cloudWatch?: CloudWatchTiming;
  /** Called once per model invocation with real-time timings: time in the queue and in the model. */
  onRequestTiming?: (timing: { inferenceId: string; backlogMs: number; modelMs: number }) => void;
}

export type InstanceState = 'Pending' | 'InService' | 'Terminating';

export interface InstanceStatus {
  instanceId: string;
  state: InstanceState;
  inFlight: number;
  url?: string;
}

export interface EndpointTotals {
  accepted: number;
  completed: number;
  failed: number;
  expired: number;
  notificationFailures: number;
}

export interface EndpointStatus {
  endpointName: string;
  variantName: string;
  /** The simulated clock, ISO. */
  time: string;
  /** Instances by state. */
  instances: { pending: number; inService: number; terminating: number };
  /** Each instance, with its in-flight count and (InService) URL. */
  instanceDetails: InstanceStatus[];
  desiredInstanceCount: number;
  /** queued + inFlight, as ApproximateBacklogSize counts it. */
  backlog: number;
  queued: number;
  inFlight: number;
  /** Simulated seconds the oldest queued request has waited; 0 when nothing is queued. */
  oldestRequestAgeS: number;
  totals: EndpointTotals;
  /** The model-server processes' supervision (instances.ts): replacements, crash loop. */
  modelServers: SupervisionStatus;
}

/**
 * One simulated minute of the AWS/SageMaker metrics of an async endpoint. Gauges are sampled at the
 * end of the period; counts are summed over it; averages are null when nothing happened (CloudWatch
 * would have no datapoint).
 */
export interface MetricDatapoint {
  /** Start of the period on the simulated clock, ISO. */
  timestamp: string;
  ApproximateBacklogSize: number;
  ApproximateBacklogSizePerInstance: number;
  /** Simulated seconds. */
  ApproximateAgeOfOldestRequest: number;
  HasBacklogWithoutCapacity: 0 | 1;
  InvocationsProcessed: number;
  InvocationFailures: number;
  ExpiredRequests: number;
  NotificationFailures: number;
  RequestDownloadFailures: number;
  ResponseUploadFailures: number;
  /** Simulated ms from acceptance to the notification. */
  TotalProcessingTimeMs: number | null;
  /** Simulated ms from acceptance to dispatch to an instance. */
  TimeInBacklogMs: number | null;
  /** Real ms the model took (the model runs in real time). */
  ModelLatencyMs: number | null;
  InstanceCount: number;
  DesiredInstanceCount: number;
}

/** Like DescribeScalingActivities: one change of the desired instance count. */
export interface ScalingActivity {
  /** Simulated clock, ISO. */
  time: string;
  /** Desired instance count before and after. */
  from: number;
  to: number;
  /** As Application Auto Scaling words it: "monitor alarm <alarm> in state ALARM triggered policy <policy>". */
  cause: string;
  /** The policy, or RegisterScalableTarget for the min/max clamp at start. */
  policyName: string;
  description: string;
}

export interface AsyncEndpoint {
  /** The SageMaker Runtime wire protocol: InvokeEndpointAsync (POST /endpoints/{name}/async-invocations). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  status(): EndpointStatus;
  metrics(): MetricDatapoint[];
  scalingActivities(): ScalingActivity[];
  /** Nothing queued or in flight. */
  drained(): boolean;
  /** Stop accepting, stop timers and instances; unfinished requests stay in the journal. */
  close(): Promise<void>;
}

/** The AWS/SageMaker metrics of the endpoint an alarm can watch: the MetricDatapoint fields of the same name. */
export type AlarmMetricName =
  | 'ApproximateBacklogSize'
  | 'ApproximateBacklogSizePerInstance'
  | 'ApproximateAgeOfOldestRequest'
  | 'HasBacklogWithoutCapacity'
  | CountMetric;

export type AlarmStatistic = 'Average' | 'Maximum' | 'Minimum' | 'Sum';

/** One metric of the endpoint (dimension EndpointName) and the statistic taken over each period. */
export interface MetricStat {
  metricName: AlarmMetricName;
  statistic: AlarmStatistic;
}

/**
 * A CloudWatch metric alarm (AWS::CloudWatch::Alarm) on the endpoint's metrics: one metric, or a
 * metric-math expression (`Metrics` with `Expression`) over metrics named by their Id.
 */
export interface MetricAlarm {
  alarmName?: string;
  metric: MetricStat | { expression: string; metrics: Record<string, MetricStat> };
  periodS: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  treatMissingData: 'missing' | 'ignore' | 'breaching' | 'notBreaching';
}
