/**
 * The command line's numbers, checked once with a message that names the option: a time scale of 0
 * would stop the simulated clock (every cooldown and retry infinitely far away), a port outside
 * 0–65535 fails deep inside Node, and `1e999` is not a number of seconds.
 */
const parsed = (value: string, name: string): number => {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number; got ${JSON.stringify(value)}`);
  return n;
};

/** A non-negative number, or the fallback when the option is absent. */
export const number = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = parsed(value, name);
  if (n < 0) throw new Error(`--${name} must be a non-negative number; got ${JSON.stringify(value)}`);
  return n;
};

/** The largest time scale: an hour of simulated time per real second. */
export const MAX_TIME_SCALE = 3600;

export const timeScale = (value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = parsed(value, 'time-scale');
  if (n <= 0 || n > MAX_TIME_SCALE) {
    throw new Error(
      `--time-scale is simulated seconds per real second, more than 0 and at most ${MAX_TIME_SCALE}; got ${JSON.stringify(value)}`,
    );
  }
  return n;
};

export const port = (value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = parsed(value, 'port');
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new Error(`--port must be a whole number from 0 to 65535 (0: any free port); got ${JSON.stringify(value)}`);
  return n;
};
