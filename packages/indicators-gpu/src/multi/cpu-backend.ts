import { runKernel } from '../core/define-indicator.js';
import type { BackendRunOptions, MultiSeriesBackend, PreparedJob, ResultSink } from './backend.js';

/**
 * The default backend: the indicator's own kernel in a plain loop, on this
 * thread. Fastest below the sizes where worker start-up pays off.
 */
export function createCpuBackend(): MultiSeriesBackend {
  return {
    name: 'cpu',
    precision: 64,
    supports: () => true,
    run(job: PreparedJob, sink: ResultSink, options?: BackendRunOptions): void {
      runCpuRange(job, 0, job.series.length, sink, options?.reuseBuffers ?? false);
    },
  };
}

/** Run series [from, to) of a job on this thread (shared with the worker entry). */
export function runCpuRange(job: PreparedJob, from: number, to: number, sink: ResultSink, reuse: boolean): void {
  const { indicator, params } = job;
  const names = indicator.spec.outputs;
  let maxN = 0;
  for (let s = from; s < to; s++) maxN = Math.max(maxN, job.series[s]![0]?.length ?? 0);
  const shared = reuse ? names.map(() => new Float64Array(maxN)) : [];
  for (let s = from; s < to; s++) {
    const inputs = job.series[s]!;
    const n = inputs[0]?.length ?? 0;
    for (let p = 0; p < params.length; p++) {
      const outs = reuse ? shared.map((b) => (b.length === n ? b : b.subarray(0, n))) : names.map(() => new Float64Array(n));
      runKernel(indicator.kernel, inputs, outs, params[p], n);
      const rec: Record<string, Float64Array> = {};
      for (let k = 0; k < names.length; k++) rec[names[k]!] = outs[k]!;
      sink(s, p, rec);
    }
  }
}
