/**
 * The simulated clock. SageMaker's own waiting is measured in minutes (1-minute metric periods,
 * scaling cooldowns, alarm evaluation, instance provisioning, RequestTTLSeconds), so the emulator
 * runs those on a clock that may go faster than the wall clock:
 *
 *   simulated now = simulated start + (real elapsed) × timeScale
 *
 * Everything the emulator schedules for itself (metric periods, cooldowns, provisioning delay, TTL
 * expiry) uses this clock. Work done by other processes runs in real time and is measured in real
 * time: the model call and its InvocationTimeoutSeconds, S3 and SNS calls, and the eventTime /
 * receivedTime of notifications, which consumers compare with their own wall clock.
 */
export interface Timer {
  cancel(): void;
}

export interface SimulatedClock {
  /** Simulated epoch milliseconds. */
  nowMs(): number;
  /** Runs `fn` once `delayMs` simulated milliseconds have passed. */
  setTimer(delayMs: number, fn: () => void): Timer;
  /** Simulated milliseconds per real millisecond. */
  readonly timeScale: number;
}

export interface ScaledClockOptions {
  timeScale?: number;
  /** Simulated epoch ms at start (default: the wall clock). */
  startAt?: number;
}

export const scaledClock = ({ timeScale = 1, startAt = Date.now() }: ScaledClockOptions = {}): SimulatedClock => {
  if (!(timeScale > 0)) throw new RangeError(`timeScale must be positive, got ${timeScale}`);
  const realStart = performance.now();
  return {
    timeScale,
    nowMs: () => startAt + (performance.now() - realStart) * timeScale,
    setTimer: (delayMs, fn) => {
      const handle = setTimeout(fn, Math.max(0, delayMs) / timeScale);
      return { cancel: () => clearTimeout(handle) };
    },
  };
};

export interface ManualClock extends SimulatedClock {
  /** Moves simulated time forward, running every timer that falls due, in time order. */
  advance(ms: number): void;
  pendingTimers(): number;
}

/** A clock that moves only when told to, for unit tests of time-driven rules. */
export const manualClock = (startAt = Date.parse('2026-01-01T00:00:00.000Z')): ManualClock => {
  let now = startAt;
  let sequence = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    timeScale: 1,
    nowMs: () => now,
    setTimer: (delayMs, fn) => {
      const id = sequence++;
      timers.set(id, { at: now + Math.max(0, delayMs), fn });
      return { cancel: () => timers.delete(id) };
    },
    advance: (ms) => {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = until;
    },
    pendingTimers: () => timers.size,
  };
};

export const isoTime = (epochMs: number): string => new Date(Math.floor(epochMs)).toISOString();
