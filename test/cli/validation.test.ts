import { runInProcess } from './run-cli';

describe('option values the command line refuses before doing anything', () => {
  it.each([
    [['start', '--port', 'http'], '--port must be a number; got "http"'],
    [['start', '--port', '65536'], '--port must be a whole number from 0 to 65535 (0: any free port); got "65536"'],
    [['start', '--time-scale', '0'], '--time-scale is simulated seconds per real second, more than 0 and at most 3600; got "0"'],
    [['start', '--model', 'gpt'], '--model must be summarize or fixed; got "gpt"'],
    [['start', '--model-error-rate', '2'], '--model-error-rate must be a number from 0 to 1; got "2"'],
    [['start', '--model-crash-after', '1.5'], '--model-crash-after must be a whole number, 0 or more; got "1.5"'],
    [['start', '--dynamodb-error-rate', 'lots'], '--dynamodb-error-rate must be a number; got "lots"'],
    [['start', '--model-slow-rate', '0.1'], '--model-slow-rate needs --model-slow-ms: how much longer a slow call takes'],
    [['demo', '--time-scale', 'abc'], '--time-scale must be a number; got "abc"'],
    [['reconcile', '--ttl', '-1'], '--ttl must be a non-negative number; got "-1"'],
    [['reconcile', '--grace', '1e999'], '--grace must be a number; got "1e999"'],
    [['results', '--state', 'nope'], '--state must be one of QUEUED, COMPLETED, FAILED, REJECTED, EXPIRED; got "nope"'],
    [['results', '--since', 'yesterday'], '--since must be a date like 2026-11-26 or 2026-11-26T10:00:00Z; got "yesterday"'],
    [['retry', '--state', 'REJECTED'], '--state must be FAILED or EXPIRED (REJECTED input needs a new upload); got "REJECTED"'],
    [['trends', '--by', 'year'], '--by must be one of day, week, month; got "year"'],
    [['trends', '--from', '1/11/2026'], '--from must be a date like 2026-11-04; got "1/11/2026"'],
    [['trends', '--from', '2026-11-10', '--to', '2026-11-01'], '--from 2026-11-10 is after --to 2026-11-01'],
    [['trends', '--top', 'ten'], '--top must be a number; got "ten"'],
    [['trends', '--top', '0'], '--top must be a whole number of at least 1; got "0"'],
    [['trends', '--json', '--csv'], '--json and --csv: choose one'],
    [['drop'], 'drop needs files or folders: npm run drop -- article.txt articles/'],
    [['drop', 'a.txt', '--published', 'next tuesday'], /^--published: published metadata "next tuesday" is not an ISO 8601 date/],
  ])('%j: exit code 1, the reason on stderr naming the option', async (argv, reason) => {
    const { code, stdout, stderr } = await runInProcess(...argv);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: .*\n$/);
    if (typeof reason === 'string') expect(stderr).toBe(`error: ${reason}\n`);
    else expect(stderr.slice('error: '.length)).toMatch(reason);
  });

  it.each([
    [['results', '--bogus'], "error: unknown option '--bogus'"],
    [['results', '--state'], "error: option '--state <state>' argument missing"],
    [['start', 'now'], "error: too many arguments for 'start'. Expected 0 arguments but got 1."],
    [['frobnicate'], "error: unknown command 'frobnicate'"],
  ])('%j: refused by the command definitions, with a pointer to --help', async (argv, message) => {
    const { code, stdout, stderr } = await runInProcess(...argv);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n(add --help for usage)\n`);
  });

  it('gets past its checks to the target, which says the local cloud is not running', async () => {
    const { code, stderr } = await runInProcess('trends', '--from', '2026-11-01', '--to', '2026-11-07', '--top', '3');

    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: the local cloud has not run yet: start it with `npm start`/);
  });
});
