import { describeError } from '../../core/errors';

describe('describeError: one line for an error wherever it is printed', () => {
  it('puts the message first and the name after it when the name says more than Error', () => {
    expect(describeError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))).toBe(
      'Rate exceeded (ThrottlingException)',
    );
    expect(describeError(new URIError('URI malformed'))).toBe('URI malformed (URIError)');
    expect(describeError(new Error('plain'))).toBe('plain');
  });

  it('follows the causes, a few levels deep', () => {
    const root = Object.assign(new Error("ENOENT: no such file or directory, open 'x.json'"), { code: 'ENOENT' });
    const error = new Error('cannot read x.json: run `npx serverless package` first', { cause: new TypeError('bad', { cause: root }) });

    expect(describeError(error)).toBe(
      "cannot read x.json: run `npx serverless package` first; caused by bad (TypeError); caused by ENOENT: no such file or directory, open 'x.json'",
    );
    expect(describeError(error, 2)).toBe('cannot read x.json: run `npx serverless package` first; caused by bad (TypeError)');
  });

  it('prints anything else thrown as a string', () => {
    expect(describeError('a reason')).toBe('a reason');
    expect(describeError(undefined)).toBe('undefined');
  });
});
