import type { ParamRecord } from '../core/types.js';
import type { KernelIndicator } from '../core/define-indicator.js';

/** A multi-series job after validation: inputs per series in spec.inputs order, parsed params. */
export interface PreparedJob {
  readonly indicator: KernelIndicator<ParamRecord>;
  /** series[s][k] = input k of series s; series may differ in length. */
  readonly series: readonly (readonly Float64Array[])[];
  readonly params: readonly ParamRecord[];
}

/**
 * Receives each (series, param set) result. With `reuseBuffers` the
 * arrays are overwritten by the next call, so a sink that keeps them must copy.
 */
export type ResultSink = (series: number, paramSet: number, outputs: Readonly<Record<string, Float64Array>>) => void;

/** Options every backend honours. */
export interface BackendRunOptions {
  /** Hand the sink the same output buffers every time (no per-result allocation). */
  readonly reuseBuffers?: boolean;
}

/**
 * A pluggable way to run one indicator over many series x many param sets.
 * `supports` is a capability check (e.g. the GPU backend needs a gpu.js
 * form), not a try-and-throw.
 */
export interface MultiSeriesBackend {
  /** Reported in results, e.g. 'cpu', 'worker', 'gpujs:CPUKernel'. */
  readonly name: string;
  /** Float precision of its outputs: 64 (CPU) or 32 (gpu.js). */
  readonly precision: 32 | 64;
  /** True when `run` returns a promise (worker threads): `computeManySync` refuses it before starting. */
  readonly asynchronous?: boolean;
  supports(indicator: KernelIndicator<ParamRecord>): boolean;
  run(job: PreparedJob, sink: ResultSink, options?: BackendRunOptions): void | Promise<void>;
}
