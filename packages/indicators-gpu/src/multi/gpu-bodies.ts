/**
 * gpu.js kernel bodies of the built-in indicators that have a GPU form.
 * One thread computes one output value (bar x of task y) from the inputs
 * alone — no sequential dependency between threads: windows are summed
 * directly, and recursive filters (EMA, RMA) are evaluated exactly near
 * their seed and, further on, as a truncated weighted sum whose dropped
 * weights total < 1e-7 — well inside the 1e-5 float32 tolerance.
 * Compiled by gpu.js from their source text: plain arithmetic only.
 * Differences of prices (momentum) have no GPU form: float32 cancellation
 * on prices ~1e5 would break the 1e-5 relative contract.
 */
import type { GpuBody, GpuKernel } from './gpu-kernel.js';

interface Period {
  period: number;
}

/** Terms the truncated exponential sum needs for smoothing factor `a`. */
export function expTerms(a: number): number {
  return a >= 1 ? 1 : Math.ceil(Math.log(1e-7) / Math.log(1 - a));
}

const smaBody: GpuBody = function (data, args, n, nIn, nArgs) {
  const t = this.thread.x;
  const row = this.thread.y;
  const base = args[row * nArgs]! * nIn * n;
  const p = args[row * nArgs + 1]!;
  if (t < p - 1) return 0;
  let s = 0;
  for (let k = 0; k < this.constants.maxLoop; k++) {
    if (k >= p) break;
    s += data[base + t - k]!;
  }
  return s / p;
};

/** args: [series, period, terms, alpha]; SMA-seeded exponential smoothing (EMA: alpha = 2/(p+1), RMA: 1/p). */
const expBody: GpuBody = function (data, args, n, nIn, nArgs) {
  const t = this.thread.x;
  const row = this.thread.y;
  const base = args[row * nArgs]! * nIn * n;
  const p = args[row * nArgs + 1]!;
  const terms = args[row * nArgs + 2]!;
  const a = args[row * nArgs + 3]!;
  if (t < p - 1) return 0;
  if (t - (p - 1) <= terms) {
    // Near the seed: the exact recursion from the SMA seed.
    let v = 0;
    for (let k = 0; k < this.constants.maxLoop; k++) {
      if (k >= p) break;
      v += data[base + k]!;
    }
    v = v / p;
    for (let j = 0; j < this.constants.maxLoop; j++) {
      if (p + j > t) break;
      v += a * (data[base + p + j]! - v);
    }
    return v;
  }
  // Far from it: sum of a(1-a)^k x[t-k]; the tail's weight folds onto x[t-terms].
  let s = 0;
  let w = a;
  for (let k = 0; k < this.constants.maxLoop; k++) {
    if (k >= terms) break;
    s += w * data[base + t - k]!;
    w = w * (1 - a);
  }
  return s + (w / a) * data[base + t - terms]!;
};

const wmaBody: GpuBody = function (data, args, n, nIn, nArgs) {
  const t = this.thread.x;
  const row = this.thread.y;
  const base = args[row * nArgs]! * nIn * n;
  const p = args[row * nArgs + 1]!;
  if (t < p - 1) return 0;
  let s = 0;
  for (let k = 0; k < this.constants.maxLoop; k++) {
    if (k >= p) break;
    s += (p - k) * data[base + t - k]!;
  }
  return s / ((p * (p + 1)) / 2);
};

const rocBody: GpuBody = function (data, args, n, nIn, nArgs) {
  const t = this.thread.x;
  const row = this.thread.y;
  const base = args[row * nArgs]! * nIn * n;
  const p = args[row * nArgs + 1]!;
  if (t < p) return 0;
  const old = data[base + t - p]!;
  return ((data[base + t]! - old) / old) * 100;
};

/** Bollinger output selected by args[row*nArgs + 3]: 0 middle, 1 upper, 2 lower, 3 %B, 4 bandwidth. */
const bbandsBody: GpuBody = function (data, args, n, nIn, nArgs) {
  const t = this.thread.x;
  const row = this.thread.y;
  const base = args[row * nArgs]! * nIn * n;
  const p = args[row * nArgs + 1]!;
  const k = args[row * nArgs + 2]!;
  const which = args[row * nArgs + 3]!;
  if (t < p - 1) return 0;
  let s = 0;
  for (let j = 0; j < this.constants.maxLoop; j++) {
    if (j >= p) break;
    s += data[base + t - j]!;
  }
  const mean = s / p;
  let q = 0;
  for (let j = 0; j < this.constants.maxLoop; j++) {
    if (j >= p) break;
    const d = data[base + t - j]! - mean;
    q += d * d;
  }
  const w = k * Math.sqrt(q / p);
  if (which < 0.5) return mean;
  if (which < 1.5) return mean + w;
  if (which < 2.5) return mean - w;
  if (which < 3.5) {
    if (w === 0) return 0.5;
    return (data[base + t]! - (mean - w)) / (2 * w);
  }
  return (2 * w) / mean;
};

/** Donchian output by the output-index arg: 0 upper (max high), 1 middle, 2 lower (min low). Inputs: high, low. */
const donchianBody: GpuBody = function (data, args, n, nIn, nArgs) {
  const t = this.thread.x;
  const row = this.thread.y;
  const base = args[row * nArgs]! * nIn * n;
  const p = args[row * nArgs + 1]!;
  const which = args[row * nArgs + 2]!;
  if (t < p - 1) return 0;
  let hi = data[base + t]!;
  let lo = data[base + n + t]!;
  for (let k = 1; k < this.constants.maxLoop; k++) {
    if (k >= p) break;
    const h = data[base + t - k]!;
    const l = data[base + n + t - k]!;
    if (h > hi) hi = h;
    if (l < lo) lo = l;
  }
  if (which < 0.5) return hi;
  if (which < 1.5) return (hi + lo) / 2;
  return lo;
};

const periodLoop = (ps: readonly Period[]) => Math.max(1, ...ps.map((p) => p.period));

export const gpuSma: GpuKernel<Period> = { args: (p) => [p.period], maxLoop: periodLoop, bodies: [smaBody] };

export const gpuEma: GpuKernel<Period> = {
  args: (p) => [p.period, expTerms(2 / (p.period + 1)), 2 / (p.period + 1)],
  maxLoop: (ps) => Math.max(1, ...ps.map((p) => Math.max(p.period, expTerms(2 / (p.period + 1))))),
  bodies: [expBody],
};

export const gpuRma: GpuKernel<Period> = {
  args: (p) => [p.period, expTerms(1 / p.period), 1 / p.period],
  maxLoop: (ps) => Math.max(1, ...ps.map((p) => Math.max(p.period, expTerms(1 / p.period)))),
  bodies: [expBody],
};

export const gpuWma: GpuKernel<Period> = { args: (p) => [p.period], maxLoop: periodLoop, bodies: [wmaBody] };
export const gpuRoc: GpuKernel<Period> = { args: (p) => [p.period], maxLoop: () => 1, bodies: [rocBody] };

export const gpuDonchian: GpuKernel<Period> = { args: (p) => [p.period], maxLoop: periodLoop, bodies: [donchianBody, donchianBody, donchianBody] };

/**
 * Bollinger: one shared body; the backend appends the output index as the last
 * arg per output (see {@link GpuKernel.bodies} — five bodies, same function).
 */
export const gpuBbands: GpuKernel<{ period: number; stddev: number }> = {
  args: (p) => [p.period, p.stddev],
  maxLoop: periodLoop,
  bodies: [bbandsBody, bbandsBody, bbandsBody, bbandsBody, bbandsBody],
};
