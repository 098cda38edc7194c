/** S3 URIs as SageMaker uses them in InputLocation, S3OutputPath and S3FailurePath. */
export interface S3Location {
  bucket: string;
  key: string;
}

/** The InputLocationHeader pattern of the Smithy model (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html). */
export const INPUT_LOCATION_PATTERN = /^(https|s3):\/\/([^/]+)\/?(.*)$/s;

/**
 * `s3://bucket/key` or an https S3 URL (virtual-hosted `bucket.s3[.-]region.amazonaws.com/key` or
 * path-style `s3[.-]region.amazonaws.com/bucket/key`). The key is taken raw, not percent-decoded:
 * SageMaker echoes InputLocation raw, spaces included (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-check-predictions.html).
 */
export const parseS3Location = (uri: string): S3Location | undefined => {
  const match = INPUT_LOCATION_PATTERN.exec(uri);
  if (!match) return undefined;
  const [, scheme, host = '', rest = ''] = match;
  if (scheme === 's3') return { bucket: host, key: rest };
  const virtualHosted = /^(.+)\.s3([.-][a-z0-9-]+)*\.amazonaws\.com$/.exec(host);
  if (virtualHosted?.[1]) return { bucket: virtualHosted[1], key: rest };
  if (/^s3([.-][a-z0-9-]+)*\.amazonaws\.com$/.test(host)) {
    const slash = rest.indexOf('/');
    return slash > 0 ? { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) } : undefined;
  }
  return undefined;
};

/** Joins an S3 path (no trailing slash) and a relative name. */
export const s3Join = (path: string, ...names: string[]): string =>
  [path.replace(/\/+$/, ''), ...names.map((n) => n.replace(/^\/+|\/+$/g, ''))].filter((p) => p !== '').join('/');
