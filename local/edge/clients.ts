import { makeClients, type Clients } from '../../adapters/clients';

/** SDK clients pointed at the edge, with any credentials (the local cloud checks none). */
export const localClients = (edgeUrl: string, region: string): Clients =>
  makeClients(
    { endpoint: edgeUrl, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    // s3rver stores aws-chunked uploads framed unless checksums are only sent when required.
    { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' },
  );
