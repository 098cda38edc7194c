import { Command, Option } from 'commander';
import { DEFAULTS } from '../../local/defaults';
import { parseFaultRates } from '../../local/edge/faults';
import { runStart } from '../../local/start';
import { checked, nonNegative, portNumber, rate, timeScaleNumber, wholeNonNegative } from '../options';
import { stateDirOption, type CommandContext, type StateDirOptions } from '../command-context';

interface StartOptions extends StateDirOptions {
  port: number;
  timeScale: number;
  provisioningDelay: number;
  model: 'summarize' | 'fixed';
  latencyMs?: number;
  modelErrorRate?: number;
  modelCrashAfter?: number;
  modelSlowRate?: number;
  modelSlowMs?: number;
  modelFailStartRate?: number;
  s3ErrorRate?: number;
  dynamodbErrorRate?: number;
  duplicateRate?: number;
}

const MODELS = ['summarize', 'fixed'] as const;

const model = (value: string): StartOptions['model'] => {
  if (!(MODELS as readonly string[]).includes(value)) throw new Error(`--model must be summarize or fixed; got ${JSON.stringify(value)}`);
  return value as StartOptions['model'];
};

/** A fault-injection rate: off unless given (docs/behaviour.md "Fault injection"). */
const rateOption = (name: string, description: string): Option =>
  new Option(`--${name} <rate>`, `${description} (0 to 1)`).argParser(checked(rate, name));

/** The model server's own flags for what the operator asked of the model (local/model-server/options.ts). */
const modelArgs = (o: StartOptions): string[] => [
  '--mode',
  o.model,
  ...(o.latencyMs !== undefined ? ['--latency-ms', String(o.latencyMs)] : []),
  ...(o.modelErrorRate !== undefined ? ['--error-rate', String(o.modelErrorRate)] : []),
  ...(o.modelCrashAfter !== undefined ? ['--crash-after', String(o.modelCrashAfter)] : []),
  ...(o.modelSlowRate !== undefined ? ['--slow-rate', String(o.modelSlowRate)] : []),
  ...(o.modelSlowMs !== undefined ? ['--slow-ms', String(o.modelSlowMs)] : []),
  ...(o.modelFailStartRate !== undefined ? ['--fail-start-rate', String(o.modelFailStartRate)] : []),
];

/** `npm start`: the whole product on this machine, in the foreground until Ctrl-C. */
export const startCommand = (cli: CommandContext): Command =>
  new Command('start')
    .description('the local cloud: S3, DynamoDB, the SageMaker async endpoint and the functions, in the foreground until Ctrl-C')
    .option('--port <port>', 'edge port, on 127.0.0.1 only (0: any free port)', checked(portNumber, 'port'), DEFAULTS.port)
    .option(
      '--time-scale <x>',
      'simulated seconds per real second for cooldowns, alarms, provisioning, request TTL and retry waits',
      checked(timeScaleNumber, 'time-scale'),
      DEFAULTS.timeScale,
    )
    .option(
      '--provisioning-delay <seconds>',
      'simulated seconds before a new instance is in service',
      checked(nonNegative, 'provisioning-delay'),
      DEFAULTS.provisioningDelayS,
    )
    .option(
      '--model <model>',
      'summarize: the local extractive summarizer; fixed: a stand-in answering after --latency-ms',
      model,
      'summarize',
    )
    .option('--latency-ms <ms>', "the fixed model's answer time (the model server's default: 100)", checked(wholeNonNegative, 'latency-ms'))
    .addOption(rateOption('model-error-rate', 'share of model calls answered 500'))
    .option(
      '--model-crash-after <calls>',
      'each model process dies on the call after this many',
      checked(wholeNonNegative, 'model-crash-after'),
    )
    .addOption(rateOption('model-slow-rate', 'share of model calls that take --model-slow-ms longer'))
    .option('--model-slow-ms <ms>', 'how much longer a slow model call takes', checked(wholeNonNegative, 'model-slow-ms'))
    .addOption(rateOption('model-fail-start-rate', 'share of instance launches that die before listening'))
    .addOption(rateOption('s3-error-rate', 'share of S3 requests refused: half throttling, half 5xx'))
    .addOption(rateOption('dynamodb-error-rate', 'share of DynamoDB requests refused: half throttling, half 5xx'))
    .addOption(rateOption('duplicate-rate', 'share of S3 and SNS deliveries to a function made twice'))
    .addOption(stateDirOption(cli.projectRoot))
    .addHelpText(
      'after',
      '\nFault injection is off by default; the S3, DynamoDB and duplicate rates can change while it runs: PUT /_localcloud/faults (docs/behaviour.md "Fault injection").',
    )
    .action(
      cli.run(async (o: StartOptions) => {
        if (o.modelSlowRate !== undefined && o.modelSlowMs === undefined)
          throw new Error('--model-slow-rate needs --model-slow-ms: how much longer a slow call takes');
        await runStart({
          projectRoot: cli.projectRoot,
          stateDir: o.stateDir,
          port: o.port,
          timeScale: o.timeScale,
          provisioningDelayS: o.provisioningDelay,
          modelArgs: modelArgs(o),
          faults: parseFaultRates({ s3: o.s3ErrorRate ?? 0, dynamodb: o.dynamodbErrorRate ?? 0, duplicates: o.duplicateRate ?? 0 }),
        });
        return 0;
      }),
    );
