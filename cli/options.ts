import { z } from 'zod';

/**
 * The command line's option values, each checked once by a schema with a message that names the
 * option: a time scale of 0 would stop the simulated clock (every cooldown and retry infinitely far
 * away), a port outside 0–65535 fails deep inside Node, and `1e999` is not a number of seconds.
 * Commands hand `checked(schema, name)` to commander as the option's parser, so a bad value stops the
 * command before it touches anything.
 */

/** A value the command line cannot use; printed as `error: <message>`. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

/** The largest time scale: an hour of simulated time per real second. */
export const MAX_TIME_SCALE = 3600;

/** Text that reads as a finite number (`1e999` and ` ` do not). */
const numeric = z
  .string()
  .refine((value) => value.trim() !== '' && Number.isFinite(Number(value)), { error: 'must be a number', abort: true })
  .transform(Number);

export const nonNegative = numeric.refine((n) => n >= 0, { error: 'must be a non-negative number' });
export const wholeNonNegative = numeric.refine((n) => Number.isInteger(n) && n >= 0, { error: 'must be a whole number, 0 or more' });
export const rate = numeric.refine((n) => n >= 0 && n <= 1, { error: 'must be a number from 0 to 1' });
export const portNumber = numeric.refine((n) => Number.isInteger(n) && n >= 0 && n <= 65_535, {
  error: 'must be a whole number from 0 to 65535 (0: any free port)',
});
export const timeScaleNumber = numeric.refine((n) => n > 0 && n <= MAX_TIME_SCALE, {
  error: `is simulated seconds per real second, more than 0 and at most ${MAX_TIME_SCALE}`,
});

/** A parser for one option: its value through `schema`, or an OptionError naming `--name` and the value given. */
export const checked =
  <T>(schema: z.ZodType<T, string>, name: string) =>
  (value: string): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    throw new OptionError(`--${name} ${result.error.issues[0]?.message ?? 'is not valid'}; got ${JSON.stringify(value)}`);
  };

/** A non-negative number, or the fallback when the option is absent. */
export const number = (value: string | undefined, name: string, fallback: number): number =>
  value === undefined ? fallback : checked(nonNegative, name)(value);

export const timeScale = (value: string | undefined, fallback: number): number =>
  value === undefined ? fallback : checked(timeScaleNumber, 'time-scale')(value);

export const port = (value: string | undefined, fallback: number): number =>
  value === undefined ? fallback : checked(portNumber, 'port')(value);
