import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `Usage: model-server [options]

A local stand-in for the Hugging Face PEGASUS container of a SageMaker endpoint instance:
GET /ping and POST /invocations on 127.0.0.1. Prints {"event":"listening","port":N} on stdout once bound.

Options (each also read from the environment variable shown; a flag wins):
  --mode summarize|fixed    summarize: the extractive summarizer (default); fixed: a trivial summary
                            after exactly --latency-ms                          MODEL_SERVER_MODE
  --latency-ms N            service time of fixed mode (default 100)          MODEL_SERVER_LATENCY_MS
  --max-input-tokens N      input tokens read; the rest is dropped (default 1024,
                            google/pegasus-cnn_dailymail's limit)             MODEL_SERVER_MAX_INPUT_TOKENS
  --port N                  port; 0 = any free port (default 8080)            MODEL_SERVER_PORT, SAGEMAKER_BIND_TO_PORT
  --startup-delay-ms N      answer 503 for N ms, as if loading a model        MODEL_SERVER_STARTUP_DELAY_MS
  --error-rate X            share of invocations answered 500 (0 to 1)        MODEL_SERVER_ERROR_RATE
  --crash-after N           serve N invocations, then exit abruptly on the next  MODEL_SERVER_CRASH_AFTER
  --slow-rate X             share of invocations delayed by --slow-ms (0 to 1) MODEL_SERVER_SLOW_RATE
  --slow-ms N               the delay of a slow invocation (default 0)        MODEL_SERVER_SLOW_MS
  --fail-start-rate X       chance that the process exits at start-up (0 to 1) MODEL_SERVER_FAIL_START_RATE
  --verbose                 log each request to stderr as a JSON line         MODEL_SERVER_VERBOSE=true
  --help                    print this text
`;

/** A flag or environment variable with a value the server cannot use; main.ts prints it with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const settings = {
  mode: { flag: 'mode', env: ['MODEL_SERVER_MODE'], schema: z.enum(['summarize', 'fixed']).default('summarize') },
  latencyMs: { flag: 'latency-ms', env: ['MODEL_SERVER_LATENCY_MS'], schema: z.coerce.number().int().min(0).default(100) },
  maxInputTokens: {
    flag: 'max-input-tokens',
    env: ['MODEL_SERVER_MAX_INPUT_TOKENS'],
    schema: z.coerce.number().int().min(16).default(1024),
  },
  // SageMaker sets SAGEMAKER_BIND_TO_PORT for containers that must not take 8080 (inference pipelines).
  port: {
    flag: 'port',
    env: ['MODEL_SERVER_PORT', 'SAGEMAKER_BIND_TO_PORT'],
    schema: z.coerce.number().int().min(0).max(65535).default(8080),
  },
  startupDelayMs: { flag: 'startup-delay-ms', env: ['MODEL_SERVER_STARTUP_DELAY_MS'], schema: z.coerce.number().int().min(0).default(0) },
  errorRate: { flag: 'error-rate', env: ['MODEL_SERVER_ERROR_RATE'], schema: z.coerce.number().min(0).max(1).default(0) },
  crashAfter: { flag: 'crash-after', env: ['MODEL_SERVER_CRASH_AFTER'], schema: z.coerce.number().int().min(0).optional() },
  slowRate: { flag: 'slow-rate', env: ['MODEL_SERVER_SLOW_RATE'], schema: z.coerce.number().min(0).max(1).default(0) },
  slowMs: { flag: 'slow-ms', env: ['MODEL_SERVER_SLOW_MS'], schema: z.coerce.number().int().min(0).default(0) },
  failStartRate: { flag: 'fail-start-rate', env: ['MODEL_SERVER_FAIL_START_RATE'], schema: z.coerce.number().min(0).max(1).default(0) },
  verbose: { flag: 'verbose', env: ['MODEL_SERVER_VERBOSE'], schema: z.stringbool().default(false) },
} as const;

type Settings = typeof settings;
export type CliOptions = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** Reads the flags (`process.argv.slice(2)`) and environment; 'help' when --help was given. */
export const parseCommandLine = (argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' => {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...Object.fromEntries(Object.values(settings).map((s) => [s.flag, { type: 'string' as const }])),
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (values.help) return 'help';
  const entries = Object.entries(settings).map(([key, setting]) => {
    const fromEnv = setting.env.map((name) => env[name]).find((value) => value !== undefined && value !== '');
    const raw = values[setting.flag] ?? fromEnv;
    const parsed = setting.schema.safeParse(typeof raw === 'boolean' ? String(raw) : raw);
    if (!parsed.success) {
      const source = values[setting.flag] !== undefined ? `--${setting.flag}` : setting.env.join(' or ');
      throw new UsageError(`${source} ${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
    }
    return [key, parsed.data];
  });
  return Object.fromEntries(entries) as CliOptions;
};
