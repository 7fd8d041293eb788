/**
 * A gpu.js form of an indicator for the multi-series GPU backend. Written
 * once; runs on WebGL/headless-gl or WebGPU where present and in gpu.js's
 * cpu mode everywhere (that is how CI tests it).
 *
 * Each body is a gpu.js kernel function computing ONE output value:
 * `this.thread.x` is the bar, `this.thread.y` the task (one series x one
 * param set). Arguments: `data` = all series flattened [series][input][bar],
 * `args` = per-task numbers [task][nArgs] where args[task*nArgs] is the
 * task's series index, the indicator's own args (from `args(params)`)
 * follow, and the last one is the index of the output being computed (so
 * one body can serve several outputs), `n` = bars per series, `nIn` = inputs per series, `nArgs` = the
 * stride of `args`. Warm-up slots may return anything (the backend writes
 * NaN there: NaN is not portable in GLSL). Float32 on a real GPU.
 */
export interface GpuKernel<P> {
  /** The indicator's numeric args for one task (series index excluded), e.g. [period]. */
  args(params: P): number[];
  /** Longest loop any body runs for these params (gpu.js needs a constant bound). */
  maxLoop(params: readonly P[], n: number): number;
  /** One body per output, in spec.outputs order. */
  readonly bodies: readonly GpuBody[];
}

/** A gpu.js kernel function (compiled by gpu.js from its source: no closures, no helpers). */
export type GpuBody = (this: GpuThis, data: number[], args: number[], n: number, nIn: number, nArgs: number) => number;

/** The subset of gpu.js's kernel `this` the bodies use. */
export interface GpuThis {
  readonly thread: { readonly x: number; readonly y: number };
  readonly constants: { readonly maxLoop: number };
}
