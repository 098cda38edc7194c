/** Pure figures for the burst benchmark: percentiles, saturation throughput, instance-seconds. */

export interface Sample {
  /** Real epoch ms. */
  real: number;
  /** Simulated epoch ms (the endpoint's clock). */
  sim: number;
  inService: number;
  pending: number;
  terminating: number;
  desired: number;
  backlog: number;
  queued: number;
  completed: number;
  /** S3 events waiting in submit-article (queued, running or waiting for a retry). */
  submitPending: number;
}

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank percentile.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
};

/** Simulated time at a real instant, interpolated between samples (extrapolated outside them). */
export const simAt = (samples: Sample[], real: number): number => {
  const first = samples[0] as Sample;
  const last = samples[samples.length - 1] as Sample;
  const slope = (last.sim - first.sim) / Math.max(1, last.real - first.real);
  if (real <= first.real) return first.sim - (first.real - real) * slope;
  if (real >= last.real) return last.sim + (real - last.real) * slope;
  const after = samples.findIndex((s) => s.real >= real);
  const a = samples[after - 1] as Sample;
  const b = samples[after] as Sample;
  return a.sim + ((real - a.real) / Math.max(1, b.real - a.real)) * (b.sim - a.sim);
};

/**
 * Completions per real second while the endpoint is saturated: every instance allowed is in
 * service and requests are waiting. Undefined when it never saturated.
 */
export const saturatedThroughput = (samples: Sample[], maxInstances: number): { perSecond: number; seconds: number } | undefined => {
  let completed = 0;
  let ms = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as Sample;
    const b = samples[i] as Sample;
    if (a.inService >= maxInstances && b.inService >= maxInstances && a.queued > 0 && b.queued > 0) {
      completed += b.completed - a.completed;
      ms += b.real - a.real;
    }
  }
  return ms > 0 ? { perSecond: (completed / ms) * 1000, seconds: ms / 1000 } : undefined;
};

/**
 * Instance-seconds (simulated) between two simulated instants: instances bill from launch to stop
 * ('billed': Pending, InService and Terminating), or 'inService' only.
 */
export const instanceSeconds = (samples: Sample[], fromSim: number, toSim: number, count: 'billed' | 'inService' = 'billed'): number => {
  let total = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as Sample;
    const b = samples[i] as Sample;
    const start = Math.max(a.sim, fromSim);
    const end = Math.min(b.sim, toSim);
    if (end > start) total += ((end - start) / 1000) * (count === 'billed' ? a.inService + a.pending + a.terminating : a.inService);
  }
  return total;
};
