import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import type { Kernel } from '../core/kernel.js';
import { StateStream } from '../core/state-stream.js';
import type { Bar } from '../core/types.js';
import { period } from '../kernels/param.js';
import { gpuSma } from '../multi/gpu-bodies.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

const smaKernel: Kernel<P> = {
  layout: (p) => ({ size: 3 + p.period + 1, hot: 3 }),
  screensInputs: true,
  run(ins, outs, st, p, from, to) {
    const x = ins[0]!;
    const o = outs[0]!;
    // An int, so index arithmetic like x[i - n] stays in integer registers (params may arrive as doubles).
    const n = p.period | 0;
    const inv = 1 / n;
    // Indices live in a Float64Array between calls; work on int copies.
    let cnt = st[0]! | 0;
    let head = st[1]! | 0;
    let sum = st[2]!;
    // One compare per bar screens the input (NaN fails v > 0); +Infinity
    // passes it but leaves the sum non-finite for good.
    let ok = true;
    let i = from;
    for (; i < to && cnt < n; i++) {
      const v = x[i]!;
      if (!(v > 0)) ok = false;
      st[3 + head] = v;
      head = head === n ? 0 : head + 1;
      sum += v - st[3 + head]!;
      cnt++;
      o[i] = cnt === n ? sum * inv : NaN;
    }
    // Steady state, while the value leaving the window is still in the ring.
    const direct = from + n;
    for (; i < to && i < direct; i++) {
      const v = x[i]!;
      if (!(v > 0)) ok = false;
      st[3 + head] = v;
      head = head === n ? 0 : head + 1;
      sum += v - st[3 + head]!;
      o[i] = sum * inv;
    }
    if (i < to) {
      // Batch fast path: read the leaving value from the input itself, then
      // refill the ring with the last n bars so streaming can continue.
      const cap = n + 1;
      const start = i;
      // Eight bars per trip with the same operations in the same order (so the
      // same bits): fewer loop tests and bounds checks per bar.
      for (; i + 7 < to; i += 8) {
        const v0 = x[i]!;
        const v1 = x[i + 1]!;
        const v2 = x[i + 2]!;
        const v3 = x[i + 3]!;
        const v4 = x[i + 4]!;
        const v5 = x[i + 5]!;
        const v6 = x[i + 6]!;
        const v7 = x[i + 7]!;
        if (!(v0 > 0 && v1 > 0 && v2 > 0 && v3 > 0 && v4 > 0 && v5 > 0 && v6 > 0 && v7 > 0)) ok = false;
        const j = i - n;
        sum += v0 - x[j]!;
        o[i] = sum * inv;
        sum += v1 - x[j + 1]!;
        o[i + 1] = sum * inv;
        sum += v2 - x[j + 2]!;
        o[i + 2] = sum * inv;
        sum += v3 - x[j + 3]!;
        o[i + 3] = sum * inv;
        sum += v4 - x[j + 4]!;
        o[i + 4] = sum * inv;
        sum += v5 - x[j + 5]!;
        o[i + 5] = sum * inv;
        sum += v6 - x[j + 6]!;
        o[i + 6] = sum * inv;
        sum += v7 - x[j + 7]!;
        o[i + 7] = sum * inv;
      }
      for (; i < to; i++) {
        const v = x[i]!;
        if (!(v > 0)) ok = false;
        sum += v - x[i - n]!;
        o[i] = sum * inv;
      }
      head = (head + (to - start)) % cap;
      for (let k = 1; k <= n; k++) st[3 + ((head - k + cap) % cap)] = x[to - k]!;
    }
    st[0] = cnt;
    st[1] = head;
    st[2] = sum;
    return ok && sum < Infinity;
  },
};

/** Streaming SMA: the kernel's ring-buffer step on its state; snapshot and constants ride in the same array. */
class SmaStream extends StateStream<P> {
  /** Where the spare slots start: [count, head, sum before the last update(), period, 1/period]. */
  private readonly at: number;

  constructor(p: P) {
    super('sma', ['close'], ['value'], smaKernel, p, 5);
    this.at = smaKernel.layout(p).size;
    this.st[this.at + 3] = p.period;
    this.st[this.at + 4] = 1 / p.period;
  }

  update(bar: Bar): { value: number } {
    const x = bar.close;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, this.bars);
    const st = this.st;
    const at = this.at;
    st[at] = st[0]!;
    st[at + 1] = st[1]!;
    st[at + 2] = st[2]!;
    this.bars++;
    return { value: this.step(st, at, x) };
  }

  replace(bar: Bar): { value: number } {
    if (this.bars === 0) throw this.notStarted();
    const x = bar.close;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, this.bars - 1);
    const st = this.st;
    const at = this.at;
    st[0] = st[at]!;
    st[1] = st[at + 1]!;
    st[2] = st[at + 2]!;
    return { value: this.step(st, at, x) };
  }

  /** One bar, exactly as the kernel's ring path computes it. */
  private step(st: Float64Array, at: number, x: number): number {
    const n = st[at + 3]!;
    let head = st[1]!;
    st[3 + head] = x;
    head = head === n ? 0 : head + 1;
    st[1] = head;
    const sum = st[2]! + (x - st[3 + head]!);
    st[2] = sum;
    const cnt = st[0]!;
    if (cnt < n) {
      st[0] = cnt + 1;
      if (cnt + 1 < n) return NaN;
    }
    return sum * st[at + 4]!;
  }
}

/**
 * Simple moving average by a running sum (ring of period + 1 holds the
 * window so a replaced bar never loses the value leaving it), times
 * 1/period (a multiply instead of a divide per bar; it can differ from
 * sum/period in the last bit).
 * State: [count, head, sum | ring...].
 */
export const sma = defineIndicator<P>({
  name: 'sma',
  title: 'Simple Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: smaKernel,
  stream: (p) => new SmaStream(p),
  gpu: gpuSma,
});
