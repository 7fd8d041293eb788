import { availableParallelism } from 'node:os';
import type { KernelIndicator } from '../core/define-indicator.js';
import type { MultiSeriesBackend, PreparedJob, ResultSink } from './backend.js';
import { createCpuBackend, runCpuRange } from './cpu-backend.js';
import { createGpuJsBackend, hasHardwareGpu } from './gpujs-backend.js';
import { createWorkerBackend, type WorkerBackend } from './worker-backend.js';

/** Bars x series x param sets above which a hardware GPU (not gpu.js' CPU fallback) is tried (an estimate; no GPU here to measure). */
export const GPU_MIN_CELLS = 5_000_000;

/**
 * Estimated milliseconds of work left on this thread above which `auto`
 * moves it to a worker pool the caller keeps open. A warm pool costs a
 * message round trip per chunk. Measured on 2 cores: two threads ran ADX
 * and stochastics sweeps 1.3-1.6x as fast as this thread at 20-90 ms of
 * work and 1.8-2.2x from a few hundred ms; an EMA sweep (~1 ns per bar)
 * 1.0-1.5x at any size, its threads mostly writing outputs to memory.
 */
export const WORKER_MIN_MS = 20;

/**
 * Estimated milliseconds of work above which `auto`, given no pool, starts
 * one for the call and ends it after: each thread spends about 100-150 ms
 * loading the indicators from the built package (several times that from
 * TypeScript source), so only long jobs gain.
 */
export const WORKER_ONE_SHOT_MIN_MS = 1_000;

/** gpu.js on real hardware, for a big enough job of an indicator with a GPU form; else undefined. */
function gpuBackendFor(indicator: KernelIndicator, cells: number): MultiSeriesBackend | undefined {
  return indicator.gpu && cells >= GPU_MIN_CELLS && hasHardwareGpu() ? createGpuJsBackend({ mode: 'gpu' }) : undefined;
}

/**
 * The backend `auto` starts from for this indicator and job size: gpu.js for
 * big jobs when it reaches a GPU, else this thread (`computeMany` may then
 * move the job to worker threads after timing its first series).
 */
export function selectBackend(indicator: KernelIndicator, cells: number): MultiSeriesBackend {
  return gpuBackendFor(indicator, cells) ?? createCpuBackend();
}

/**
 * `computeMany`'s 'auto': a hardware GPU for big jobs of indicators with a
 * GPU form; otherwise the first series runs here, timed, and the rest goes
 * to worker threads when that timing says they pay, else stays here.
 * Returns the name of the backend that ran the bulk of the job.
 */
export async function runAuto(job: PreparedJob, cells: number, sink: ResultSink, reuse: boolean, pool?: WorkerBackend): Promise<string> {
  const gpu = gpuBackendFor(job.indicator, cells);
  if (gpu) {
    await gpu.run(job, sink, { reuseBuffers: reuse });
    return gpu.name;
  }
  const S = job.series.length;
  const workers = pool ?? createWorkerBackend();
  if (S < 2 || availableParallelism() < 2 || !workers.supports(job.indicator)) {
    runCpuRange(job, 0, S, sink, reuse);
    return 'cpu';
  }
  const started = performance.now();
  runCpuRange(job, 0, 1, sink, reuse);
  const probeMs = performance.now() - started;
  const firstCells = Math.max(1, (job.series[0]![0]?.length ?? 0) * job.params.length);
  const leftMs = (probeMs * (cells - firstCells)) / firstCells;
  if (leftMs < (pool ? WORKER_MIN_MS : WORKER_ONE_SHOT_MIN_MS)) {
    runCpuRange(job, 1, S, sink, reuse);
    return 'cpu';
  }
  const rest: PreparedJob = { ...job, series: job.series.slice(1) };
  try {
    await workers.run(rest, (s, p, out) => sink(s + 1, p, out), { reuseBuffers: reuse });
  } finally {
    if (!pool) await workers.close();
  }
  return workers.name;
}
