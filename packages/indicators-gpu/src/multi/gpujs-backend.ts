import type { ParamRecord } from '../core/types.js';
import { createRequire } from 'node:module';
import type { KernelIndicator } from '../core/define-indicator.js';
import { IndicatorError } from '../core/indicator-error.js';
import type { BackendRunOptions, MultiSeriesBackend, PreparedJob, ResultSink } from './backend.js';

/** gpu.js modes: 'gpu' picks the best available (headless-gl / WebGPU) and falls back to cpu. */
export type GpuJsMode = 'gpu' | 'cpu' | 'webgl' | 'webgl2' | 'headlessgl' | 'webgpu' | 'webasm';

/** The slice of gpu.js this package uses (described by shape, so nothing else of gpu.js leaks into our types). */
interface GpuJsModule {
  GPU: (new (settings: { mode?: string }) => GpuInstance) & {
    readonly isHeadlessGLSupported: boolean;
    readonly isWebGPUSupported: boolean;
    readonly isWebAssemblySupported: boolean;
  };
}
interface GpuInstance {
  createKernel(fn: unknown, settings: Record<string, unknown>): GpuKernelRunner;
  destroy?(): void;
}
interface GpuKernelRunner {
  (...args: unknown[]): ArrayLike<ArrayLike<number>>;
  readonly kernel?: { constructor: { name: string } };
  destroy?(): void;
}

/** gpu.js if it loads here (it is a dependency, but its native/GPU parts are optional). */
export function loadGpuJs(): GpuJsModule | undefined {
  try {
    return createRequire(import.meta.url)('gpu.js') as GpuJsModule;
  } catch {
    return undefined;
  }
}

/** Whether gpu.js can reach real GPU hardware here (headless-gl or WebGPU), not just its CPU fallback. */
export function hasHardwareGpu(mod: GpuJsModule | undefined = loadGpuJs()): boolean {
  if (!mod) return false;
  try {
    return mod.GPU.isHeadlessGLSupported || mod.GPU.isWebGPUSupported;
  } catch {
    return false;
  }
}

/**
 * Multi-series backend on gpu.js kernels (the indicator's `gpu` form).
 * Float32: results match the CPU path to ~1e-5 relative. In 'cpu' mode it
 * runs the very same kernel source in JS — that is how CI tests the GPU
 * kernels; it is 10-20x slower than the CPU backend and never auto-picked.
 */
export function createGpuJsBackend(options: { mode?: GpuJsMode } = {}): MultiSeriesBackend {
  const mod = loadGpuJs();
  if (!mod) throw new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', 'gpu.js could not be loaded', 'gpujs');
  const mode = options.mode ?? 'gpu';
  let ran = 'unknown';
  return {
    get name() {
      return `gpujs:${mode}:${ran}`;
    },
    precision: 32,
    supports: (ind: KernelIndicator) => ind.gpu !== undefined,
    run(job: PreparedJob, sink: ResultSink, runOptions?: BackendRunOptions): void {
      const gpu = new mod.GPU({ mode });
      try {
        ran = runOnGpu(gpu, job, sink, runOptions?.reuseBuffers ?? false);
      } finally {
        gpu.destroy?.();
      }
    },
  };
}

function runOnGpu(gpu: GpuInstance, job: PreparedJob, sink: ResultSink, reuse: boolean): string {
  const ind = job.indicator;
  const g = ind.gpu;
  if (!g) throw new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', `${ind.spec.name} has no gpu.js form`, ind.spec.name);
  const S = job.series.length;
  const P = job.params.length;
  const nIn = ind.spec.inputs.length;
  // Pad every series to the longest at the END with its last value: kernels only look back, so real bars are unaffected.
  let n = 1;
  for (const s of job.series) n = Math.max(n, s[0]?.length ?? 0);
  const data = new Float32Array(S * nIn * n);
  job.series.forEach((inputs, s) => {
    inputs.forEach((arr, k) => {
      const off = (s * nIn + k) * n;
      data.set(arr, off);
      if (arr.length > 0 && arr.length < n) data.fill(arr[arr.length - 1]!, off + arr.length, off + n);
    });
  });
  const own = job.params.map((p) => g.args(p));
  const nArgs = 2 + (own[0]?.length ?? 0);
  const tasks = S * P;
  const maxLoop = Math.max(1, g.maxLoop(job.params, n));
  const names = ind.spec.outputs;
  const results: Float64Array[][][] = [];
  let kernelName = 'unknown';
  for (let o = 0; o < names.length; o++) {
    const args = new Float32Array(tasks * nArgs);
    for (let s = 0; s < S; s++) {
      for (let p = 0; p < P; p++) {
        const row = (s * P + p) * nArgs;
        args[row] = s;
        args.set(own[p]!, row + 1);
        args[row + nArgs - 1] = o;
      }
    }
    const kernel = gpu.createKernel(g.bodies[o], {
      output: [n, tasks],
      constants: { maxLoop },
      tactic: 'precision',
      loopMaxIterations: maxLoop + 1,
    });
    const rows = kernel(data, args, n, nIn, nArgs);
    kernelName = kernel.kernel?.constructor.name ?? kernelName;
    for (let s = 0; s < S; s++) {
      const len = job.series[s]![0]?.length ?? 0;
      for (let p = 0; p < P; p++) {
        const src = rows[s * P + p]!;
        const w = Math.min(len, ind.spec.warmup(job.params[p] as ParamRecord));
        const out = new Float64Array(len);
        out.fill(NaN, 0, w);
        for (let t = w; t < len; t++) out[t] = src[t]!;
        ((results[s] ??= [])[p] ??= [])[o] = out;
      }
    }
    kernel.destroy?.();
  }
  for (let s = 0; s < S; s++) {
    for (let p = 0; p < P; p++) {
      const rec: Record<string, Float64Array> = {};
      names.forEach((name, o) => (rec[name] = results[s]![p]![o]!));
      sink(s, p, rec);
    }
  }
  void reuse; // results are assembled per output, so there is nothing to reuse across sinks here
  return kernelName;
}
