import { availableParallelism } from 'node:os';
import type { KernelIndicator } from '../core/define-indicator.js';
import { IndicatorError } from '../core/indicator-error.js';
import { getIndicator } from '../core/registry.js';
import type { ParamRecord, SeriesInputs } from '../core/types.js';
import { validateInputs } from '../core/validate-inputs.js';
import type { MultiSeriesBackend, PreparedJob, ResultSink } from './backend.js';
import { createCpuBackend } from './cpu-backend.js';
import { runAuto, WORKER_MIN_MS } from './auto-backend.js';
import { createGpuJsBackend, hasHardwareGpu, loadGpuJs } from './gpujs-backend.js';
import { createWorkerBackend, type WorkerBackend } from './worker-backend.js';

export type BackendChoice = 'auto' | 'cpu' | 'worker' | 'gpujs' | MultiSeriesBackend;

export interface ComputeManyOptions {
  /**
   * Default 'auto': a hardware GPU for big jobs of indicators with a GPU form;
   * else the first series runs on this thread, timed, and the rest moves to
   * worker threads if that timing says they pay (see {@link WORKER_MIN_MS}).
   * 'worker' starts threads for this call and ends them after; pass a
   * {@link WorkerBackend} to keep them. 'gpujs' = gpu.js in 'gpu' mode (falls
   * back to its cpu mode).
   */
  readonly backend?: BackendChoice;
  /** A worker pool that `auto` may use, kept open by the caller between calls (it is not closed here). */
  readonly workers?: WorkerBackend;
  /**
   * Stream results instead of collecting them: called once per (series,
   * param set). With `reuseBuffers` the arrays are overwritten after the
   * call — how a 500 x 20 x 10,000 sweep runs without 800 MB of outputs.
   */
  readonly onResult?: ResultSink;
  readonly reuseBuffers?: boolean;
}

export interface ComputeManyResult {
  /** Which backend ran (e.g. 'cpu', 'worker:2', 'gpujs:cpu:CPUKernel'). */
  readonly backend: string;
  /** outputs[series][paramSet][outputName]; empty when onResult is used. */
  readonly outputs: Record<string, Float64Array>[][];
}

/** One line per backend: is it usable here, and why not. */
export interface BackendInfo {
  readonly name: 'cpu' | 'worker' | 'gpujs-hardware' | 'gpujs-cpu' | 'gpujs-webasm';
  readonly available: boolean;
  readonly note: string;
}

/** What this machine offers (for `kairos indicators` and logs). */
export function detectBackends(): BackendInfo[] {
  const gpujs = loadGpuJs();
  const cores = availableParallelism();
  const hardware = hasHardwareGpu(gpujs);
  return [
    { name: 'cpu', available: true, note: 'typed-array kernels on this thread' },
    { name: 'worker', available: cores > 1, note: `${cores} cores; auto uses them for jobs it times at over ${WORKER_MIN_MS} ms` },
    { name: 'gpujs-hardware', available: hardware, note: hardwareNote(gpujs !== undefined, hardware) },
    { name: 'gpujs-cpu', available: gpujs !== undefined, note: "gpu.js kernels in its cpu mode (tests; 100x or more slower than 'cpu')" },
    {
      name: 'gpujs-webasm',
      available: gpujs !== undefined && gpujs.GPU.isWebAssemblySupported,
      note: "gpu.js kernels compiled to WebAssembly (tests; 100x or more slower than 'cpu')",
    },
  ];
}

function hardwareNote(loaded: boolean, hardware: boolean): string {
  if (!loaded) return 'gpu.js did not load';
  if (hardware) return 'headless-gl or WebGPU through gpu.js';
  // Both are native parts gpu.js loads if present; say which, so an operator knows what to install.
  return "gpu.js loaded, but neither headless-gl (its optional 'gl' addon) nor WebGPU (the 'webgpu' addon) works here";
}

/**
 * One indicator over many series x many param sets in one call. Inputs and
 * params are validated up front exactly like `batch` (typed errors naming
 * the series index and input/param). Reports the backend that ran.
 */
export async function computeMany<P extends ParamRecord>(
  indicator: KernelIndicator<P> | string,
  series: readonly SeriesInputs[],
  params: readonly Partial<NoInfer<P>>[],
  options: ComputeManyOptions = {},
): Promise<ComputeManyResult> {
  const { job, cells } = prepare(indicator, series, params);
  const outputs: Record<string, Float64Array>[][] = [];
  const sink: ResultSink = options.onResult ?? ((s, p, o) => ((outputs[s] ??= [])[p] = { ...o }));
  const reuseBuffers = options.onResult !== undefined && options.reuseBuffers === true;
  const choice = options.backend ?? 'auto';
  if (choice === 'auto') return { backend: await runAuto(job, cells, sink, reuseBuffers, options.workers), outputs };
  const backend = typeof choice === 'object' ? choice : choice === 'cpu' ? createCpuBackend() : choice === 'worker' ? createWorkerBackend() : createGpuJsBackend({ mode: 'gpu' });
  try {
    if (!backend.supports(job.indicator)) {
      throw new IndicatorError(
        'INDICATOR_BACKEND_UNAVAILABLE',
        `backend '${backend.name}' does not support indicator '${job.indicator.spec.name}'`,
        job.indicator.spec.name,
      );
    }
    await backend.run(job, sink, { reuseBuffers });
  } finally {
    // Threads started for this call alone end with it.
    if (choice === 'worker') await (backend as WorkerBackend).close();
  }
  return { backend: backend.name, outputs };
}

/** Synchronous form for backends that are synchronous (cpu, gpujs); throws for 'worker'. */
export function computeManySync<P extends ParamRecord>(
  indicator: KernelIndicator<P> | string,
  series: readonly SeriesInputs[],
  params: readonly Partial<NoInfer<P>>[],
  options: ComputeManyOptions & { backend?: 'cpu' | 'gpujs' | MultiSeriesBackend } = {},
): ComputeManyResult {
  const { job } = prepare(indicator, series, params);
  const choice = options.backend ?? 'cpu';
  const backend = typeof choice === 'object' ? choice : choice === 'gpujs' ? createGpuJsBackend({ mode: 'gpu' }) : createCpuBackend();
  if (!backend.supports(job.indicator)) {
    throw new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', `backend '${backend.name}' does not support '${job.indicator.spec.name}'`, job.indicator.spec.name);
  }
  if (backend.asynchronous === true) {
    throw new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', `backend '${backend.name}' is asynchronous; use computeMany`, backend.name);
  }
  const outputs: Record<string, Float64Array>[][] = [];
  const sink: ResultSink = options.onResult ?? ((s, p, o) => ((outputs[s] ??= [])[p] = { ...o }));
  const r = backend.run(job, sink, { reuseBuffers: options.onResult !== undefined && options.reuseBuffers === true });
  if (r instanceof Promise) {
    // A backend that did not say it is asynchronous: its run goes on, but nobody waits for it.
    r.catch(() => undefined);
    throw new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', `backend '${backend.name}' is asynchronous; use computeMany`, backend.name);
  }
  return { backend: backend.name, outputs };
}

function prepare<P extends ParamRecord>(
  indicator: KernelIndicator<P> | string,
  series: readonly SeriesInputs[],
  params: readonly Partial<P>[],
): { job: PreparedJob; cells: number } {
  const ind = typeof indicator === 'string' ? getIndicator(indicator) : indicator;
  if (params.length === 0) throw new IndicatorError('INDICATOR_BAD_PARAM', `${ind.spec.name}: no param sets given`, 'params');
  const parsed = params.map((p, i) => {
    try {
      return ind.parseParams(p);
    } catch (e) {
      if (e instanceof IndicatorError) throw new IndicatorError(e.code, `param set #${i}: ${e.message}`, e.field);
      throw e;
    }
  });
  let cells = 0;
  const arrays = series.map((s, i) => {
    try {
      const a = validateInputs(ind.spec.name, ind.spec.inputs, s);
      cells += (a[0]?.length ?? 0) * parsed.length;
      return a;
    } catch (e) {
      if (e instanceof IndicatorError) throw new IndicatorError(e.code, `series #${i}: ${e.message}`, e.field);
      throw e;
    }
  });
  return { job: { indicator: ind, series: arrays, params: parsed }, cells };
}
