import { availableParallelism } from 'node:os';
import type { KernelIndicator } from '../core/define-indicator.js';
import { IndicatorError } from '../core/indicator-error.js';
import { getIndicator } from '../core/registry.js';
import type { ParamRecord, SeriesInputs } from '../core/types.js';
import { validateInputs } from '../core/validate-inputs.js';
import type { MultiSeriesBackend, PreparedJob, ResultSink } from './backend.js';
import { createCpuBackend } from './cpu-backend.js';
import { createGpuJsBackend, hasHardwareGpu, loadGpuJs } from './gpujs-backend.js';
import { createWorkerBackend } from './worker-backend.js';

/**
 * Bars x series x param sets above which `auto` uses worker threads. An
 * estimate, not a measurement on a quiet box: at ~3 ns per cell this is
 * ~150 ms of work, against ~30-50 ms to start workers from the built dist.
 */
export const WORKER_MIN_CELLS = 50_000_000;
/** ... and above which a hardware GPU (not gpu.js' CPU fallback) is tried (also an estimate; no GPU here to measure). */
export const GPU_MIN_CELLS = 5_000_000;

export type BackendChoice = 'auto' | 'cpu' | 'worker' | 'gpujs' | MultiSeriesBackend;

export interface ComputeManyOptions {
  /** Default 'auto': hardware GPU > workers > cpu by size and availability. 'gpujs' = gpu.js in 'gpu' mode (falls back to its cpu mode). */
  readonly backend?: BackendChoice;
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
    { name: 'worker', available: cores > 1, note: `${cores} cores; used above ${WORKER_MIN_CELLS} cells` },
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

/** The backend `auto` picks for this indicator and job size. */
export function selectBackend(indicator: KernelIndicator, cells: number): MultiSeriesBackend {
  if (indicator.gpu && cells >= GPU_MIN_CELLS && hasHardwareGpu()) return createGpuJsBackend({ mode: 'gpu' });
  const worker = cells >= WORKER_MIN_CELLS && availableParallelism() > 1 ? createWorkerBackend() : undefined;
  if (worker?.supports(indicator)) return worker;
  return createCpuBackend();
}

function resolveBackend(choice: BackendChoice, ind: KernelIndicator, cells: number): MultiSeriesBackend {
  if (typeof choice === 'object') return choice;
  switch (choice) {
    case 'cpu':
      return createCpuBackend();
    case 'worker':
      return createWorkerBackend();
    case 'gpujs':
      return createGpuJsBackend({ mode: 'gpu' });
    default:
      return selectBackend(ind, cells);
  }
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
  const backend = resolveBackend(options.backend ?? 'auto', job.indicator, cells);
  if (!backend.supports(job.indicator)) {
    throw new IndicatorError(
      'INDICATOR_BACKEND_UNAVAILABLE',
      `backend '${backend.name}' does not support indicator '${job.indicator.spec.name}'`,
      job.indicator.spec.name,
    );
  }
  const outputs: Record<string, Float64Array>[][] = [];
  const sink: ResultSink = options.onResult ?? ((s, p, o) => ((outputs[s] ??= [])[p] = { ...o }));
  await backend.run(job, sink, { reuseBuffers: options.onResult !== undefined && options.reuseBuffers === true });
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
  const outputs: Record<string, Float64Array>[][] = [];
  const sink: ResultSink = options.onResult ?? ((s, p, o) => ((outputs[s] ??= [])[p] = { ...o }));
  const r = backend.run(job, sink, { reuseBuffers: options.onResult !== undefined && options.reuseBuffers === true });
  if (r instanceof Promise) {
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
