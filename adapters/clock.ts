import type { Clock } from '../core/ports';

/** The machine's clock, for core's Clock port (core reads no time itself, so tests pass a fixed one). */
export const systemClock: Clock = { now: () => new Date() };
