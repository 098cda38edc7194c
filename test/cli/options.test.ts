import { number, port, timeScale } from '../../cli/options';

describe("the command line's numbers", () => {
  it('refuses a time scale of 0, negative or absurd, and nonsense ports and numbers, naming the option', () => {
    for (const value of ['0', '-1', '3601'])
      expect(() => timeScale(value, 10)).toThrow(/^--time-scale is simulated seconds per real second, more than 0/);
    for (const value of ['fast', '', '1e999']) expect(() => timeScale(value, 10)).toThrow(/^--time-scale must be a number/);
    for (const value of ['65536', '-1', '4566.5']) expect(() => port(value, 4566)).toThrow(/^--port must be a whole number/);
    expect(() => port('http', 4566)).toThrow('--port must be a number; got "http"');
    expect(() => number('NaN', 'ttl', 1)).toThrow('--ttl must be a number; got "NaN"');
    expect(() => number(' ', 'ttl', 1)).toThrow('--ttl must be a number');
  });

  it('takes sensible values and defaults', () => {
    expect([
      timeScale(undefined, 10),
      timeScale('600', 10),
      timeScale('0.5', 10),
      port('0', 4566),
      port(undefined, 4566),
      number('0', 'grace', 300),
    ]).toEqual([10, 600, 0.5, 0, 4566, 0]);
  });
});
