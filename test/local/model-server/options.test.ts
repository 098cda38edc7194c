import { parseCommandLine, UsageError } from '../../../local/model-server/options';

describe('parseCommandLine', () => {
  it('defaults to the summarizer on the contract port 8080 with no faults', () => {
    // Act
    const options = parseCommandLine([], {});

    // Assess
    expect(options).toEqual({
      mode: 'summarize',
      latencyMs: 100,
      maxInputTokens: 1024,
      port: 8080,
      startupDelayMs: 0,
      errorRate: 0,
      crashAfter: undefined,
      slowRate: 0,
      slowMs: 0,
      failStartRate: 0,
      verbose: false,
    });
  });

  it('reads every setting from flags', () => {
    // Act
    const options = parseCommandLine(
      [
        '--mode',
        'fixed',
        '--latency-ms',
        '250',
        '--max-input-tokens',
        '4096',
        '--port',
        '0',
        '--startup-delay-ms',
        '500',
        '--error-rate',
        '0.1',
        '--crash-after',
        '3',
        '--slow-rate',
        '0.2',
        '--slow-ms',
        '5000',
        '--fail-start-rate',
        '0.3',
        '--verbose',
      ],
      {},
    );

    // Assess
    expect(options).toEqual({
      mode: 'fixed',
      latencyMs: 250,
      maxInputTokens: 4096,
      port: 0,
      startupDelayMs: 500,
      errorRate: 0.1,
      crashAfter: 3,
      slowRate: 0.2,
      slowMs: 5000,
      failStartRate: 0.3,
      verbose: true,
    });
  });

  it('reads the environment when a flag is absent, and lets a flag win', () => {
    // Prepare
    const env = { MODEL_SERVER_MODE: 'fixed', MODEL_SERVER_LATENCY_MS: '40', SAGEMAKER_BIND_TO_PORT: '9090', MODEL_SERVER_VERBOSE: 'true' };

    // Act
    const options = parseCommandLine(['--latency-ms', '60'], env);

    // Assess
    expect(options).toMatchObject({ mode: 'fixed', latencyMs: 60, port: 9090, verbose: true });
  });

  it('returns help for --help', () => {
    // Act and Assess
    expect(parseCommandLine(['--help'], {})).toBe('help');
  });

  it.each([
    [['--mode', 'generate'], {}, /^--mode "generate"/],
    [['--error-rate', '1.5'], {}, /^--error-rate "1.5"/],
    [['--port', 'http'], {}, /^--port "http"/],
    [['--max-input-tokens', '0'], {}, /^--max-input-tokens "0"/],
    [[], { MODEL_SERVER_CRASH_AFTER: '-1' }, /^MODEL_SERVER_CRASH_AFTER "-1"/],
    [['--unknown'], {}, /Unknown option '--unknown'/],
  ])('rejects %j %j naming the setting', (argv, env, message) => {
    // Act and Assess
    expect(() => parseCommandLine(argv, env)).toThrow(UsageError);
    expect(() => parseCommandLine(argv, env)).toThrow(message);
  });
});
