import { readdirSync, readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { localClients } from '../../../local/edge/clients';
import { childCloudPerTest, endpointsOf, killNow, startChildCloud } from '../../support/child-cloud';
import { eventually } from '../../support/eventually';
import { HOST_NODE_FLAGS } from '../../../local/lambda/host-process';

/** Child process ids of `pid`, from /proc (Linux). */
const childrenOf = (pid: number): number[] =>
  readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf-8').trim().split(/\s+/).filter(Boolean).map(Number),
  );

const commandOf = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf-8');

/** Threads of `pid` named as function environments are (FUNCTION_THREAD_PREFIX). */
const environmentsIn = (pid: number): number =>
  readdirSync(`/proc/${pid}/task`).filter((tid) => readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf-8').startsWith('lambda:')).length;

/** Still running: listed in /proc and not a zombie waiting to be reaped. */
const runs = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf-8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describe('the Lambda host process of `npm start`', () => {
  const run = childCloudPerTest('rs-lambda-host-');

  it('runs with the host flags, and goes when the local cloud is killed with kill -9: no host process is left behind', async () => {
    // Prepare: an upload, so the host holds an environment (a live thread would keep it running).
    run.cloud = startChildCloud(run.stateDir);
    const endpoints = await endpointsOf(run.stateDir);
    const hosts = childrenOf(run.cloud.pid as number).filter((pid) => commandOf(pid).includes('lambda-host'));
    expect(hosts).toHaveLength(1);
    const [host] = hosts as [number];
    expect(commandOf(host).split('\0')).toEqual(expect.arrayContaining(HOST_NODE_FLAGS));
    const { s3, rawDynamo } = localClients(endpoints.edgeUrl, endpoints.region);
    await s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: 'input/one.txt', Body: 'One article. It states a fact.' }));
    await eventually(() => environmentsIn(host) > 0, { what: 'an execution environment in the host' });
    s3.destroy();
    rawDynamo.destroy();

    // Act
    await killNow(run.cloud);
    run.cloud = undefined; // gone: nothing for the test's cleanup to kill

    // Assess
    await eventually(() => !runs(host), { what: `the host process ${host} to exit` });
  }, 120_000);
});
