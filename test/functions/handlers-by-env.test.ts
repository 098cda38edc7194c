import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDbSummaryLedger } from '../../adapters/dynamodb-ledger';
import { articleIdFor } from '../../core/ids';
import { handlerEnvironment, startEmulators, type Emulators } from '../support/emulators';
import { s3PutEvent, sagemakerMessage, snsEvent } from '../support/events';
import { lambdaContext } from '../support/lambda-context';
import { accepted, scriptedEndpoint } from '../support/scripted-endpoint';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<void>;

/**
 * The deployed handlers, wired exactly as on Lambda, pointed at local emulators only through the
 * SDK's AWS_ENDPOINT_URL_<SERVICE> variables: no local-mode code path exists in the functions.
 */
describe('handlers configured only by environment variables', () => {
  let emu: Emulators;
  let endpoint: Awaited<ReturnType<typeof scriptedEndpoint>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    emu = await startEmulators();
    endpoint = await scriptedEndpoint([accepted]);
    Object.assign(process.env, handlerEnvironment(emu, endpoint.url));
  });
  afterAll(async () => {
    process.env = saved;
    await endpoint.close();
    await emu.stop();
  });

  it('takes an upload to QUEUED and its success notification to COMPLETED', async () => {
    // Prepare
    // Loaded only now, after the environment is set: each handler reads it once, at cold start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const submit = require('../../functions/submit-article/handler').handler as Handler;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const record = require('../../functions/record-result/handler').handler as Handler;
    const key = 'input/by env/first article.txt';
    const put = await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: 'A short article. It has two sentences.' }));
    const ledger = new DynamoDbSummaryLedger(emu.dynamo, emu.table);
    const articleId = articleIdFor(emu.bucket, key);

    // Act: upload
    await submit(
      s3PutEvent({ bucket: emu.bucket, key, size: 38, eTag: (put.ETag ?? '').replace(/"/g, '') }),
      lambdaContext('submitArticle'),
    );
    const queued = await ledger.get(articleId);
    const outputKey = (queued?.outputLocation ?? '').replace(`s3://${emu.bucket}/`, '');
    await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: outputKey, Body: '[{"summary_text":"Two sentences."}]' }));
    // Act: notification
    const message = sagemakerMessage('inference-success-doc.json', {
      inferenceId: queued?.inferenceId as string,
      inputLocation: queued?.requestLocation as string,
      outputLocation: queued?.outputLocation as string,
    });
    await record(snsEvent(message), lambdaContext('recordResult'));

    // Assess
    expect(queued?.state).toBe('QUEUED');
    expect(endpoint.seen[0]?.headers['x-amzn-sagemaker-inputlocation']).toBe(queued?.requestLocation);
    expect(await ledger.get(articleId)).toMatchObject({ state: 'COMPLETED', summary: 'Two sentences.', key, costUsd: expect.any(Number) });
  });
});
