/**
 * @kairos/indicators-gpu — indicator kernels over typed arrays.
 *
 * One spec + one kernel per indicator; batch, O(1) streaming and
 * multi-series (plain TS, worker threads, gpu.js) derive from it. Plus
 * candlestick patterns, market regimes, candle resampling and the JSON
 * descriptions the CLI prints. Imports nothing from other @kairos packages.
 *
 * @packageDocumentation
 */

// The contract the engine codes against.
export type {
  Bar,
  BatchableStream,
  Indicator,
  IndicatorSpec,
  InputName,
  ParamRecord,
  ParamValue,
  SeriesInputs,
  StreamingIndicator,
} from './core/types.js';
export { IndicatorError, type IndicatorErrorCode } from './core/indicator-error.js';
export { createRegistry, builtInRegistry, getIndicator, listIndicators, type IndicatorRegistry } from './core/registry.js';

// Writing indicators (built-in or third-party).
export type { Kernel, KernelLayout } from './core/kernel.js';
export { defineIndicator, runKernel, type IndicatorDefinition, type KernelIndicator } from './core/define-indicator.js';
export { StateStream } from './core/state-stream.js';
export * as steps from './kernels/steps.js';
export { period as periodParam, factor as factorParam, MAX_PERIOD } from './kernels/param.js';
export type { GpuKernel, GpuBody, GpuThis } from './multi/gpu-kernel.js';
export { BUILT_INS } from './indicators/index.js';

// Many series x many param sets.
export type { MultiSeriesBackend, PreparedJob, ResultSink, BackendRunOptions } from './multi/backend.js';
export { createCpuBackend } from './multi/cpu-backend.js';
export { createGpuJsBackend, hasHardwareGpu, type GpuJsMode } from './multi/gpujs-backend.js';
export { createWorkerBackend, WORKER_CHUNK_CELLS, type WorkerBackend } from './multi/worker-backend.js';
export { GPU_MIN_CELLS, selectBackend, WORKER_MIN_MS, WORKER_ONE_SHOT_MIN_MS } from './multi/auto-backend.js';
export {
  computeMany,
  computeManySync,
  detectBackends,
  type BackendChoice,
  type BackendInfo,
  type ComputeManyOptions,
  type ComputeManyResult,
} from './multi/compute-many.js';

// CLI-facing helpers.
export { describeIndicator, describeIndicators, type IndicatorDescription, type ParamDescription } from './describe/describe-indicator.js';
export { computeIndicator, coerceParams, type ComputeSummary } from './describe/compute-indicator.js';

// Patterns, regimes, resampling.
export { detectPatterns, listPatterns, PatternDetector, type PatternHit } from './patterns/detect-patterns.js';
export {
  detectRegime,
  RegimeDetector,
  regimeName,
  parseRegimeParams,
  regimeWarmup,
  regimeParams,
  REGIME_CODES,
  type Regime,
  type RegimeParams,
  type RegimeSeries,
} from './regime/detect-regime.js';
export { Resampler, resampleCandles, inferTimeframe, type Candle, type ResampleOptions } from './resample/resample-candles.js';
export { timeframeMs, bucketStart, type Timeframe } from './resample/timeframe.js';
