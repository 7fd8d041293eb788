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
      // Sixteen bars per trip, each bar the same operations in the same order as
      // one at a time (so the same bits). A bad input leaves the loop at its bar
      // for the bar-at-a-time loop below, which flags it: the hot path carries no
      // `ok`, only a compare and branch per bar. Indices masked to 30 bits let
      // Turbofan prove that i + 15 and j + 15 fit an int32 and drop an overflow
      // check per access (i >= n here, so the mask never changes j); series of
      // 2^30 bars or more go bar by bar.
      if (to < 0x40000000) {
        const last = (to & 0x3fffffff) - 15;
        for (i &= 0x3fffffff; i < last; i += 16) {
          const j = (i - n) & 0x3fffffff;
          let v = x[i]!;
          if (!(v > 0)) break;
          sum += v - x[j]!;
          o[i] = sum * inv;
          v = x[i + 1]!;
          if (!(v > 0)) { i += 1; break; }
          sum += v - x[j + 1]!;
          o[i + 1] = sum * inv;
          v = x[i + 2]!;
          if (!(v > 0)) { i += 2; break; }
          sum += v - x[j + 2]!;
          o[i + 2] = sum * inv;
          v = x[i + 3]!;
          if (!(v > 0)) { i += 3; break; }
          sum += v - x[j + 3]!;
          o[i + 3] = sum * inv;
          v = x[i + 4]!;
          if (!(v > 0)) { i += 4; break; }
          sum += v - x[j + 4]!;
          o[i + 4] = sum * inv;
          v = x[i + 5]!;
          if (!(v > 0)) { i += 5; break; }
          sum += v - x[j + 5]!;
          o[i + 5] = sum * inv;
          v = x[i + 6]!;
          if (!(v > 0)) { i += 6; break; }
          sum += v - x[j + 6]!;
          o[i + 6] = sum * inv;
          v = x[i + 7]!;
          if (!(v > 0)) { i += 7; break; }
          sum += v - x[j + 7]!;
          o[i + 7] = sum * inv;
          v = x[i + 8]!;
          if (!(v > 0)) { i += 8; break; }
          sum += v - x[j + 8]!;
          o[i + 8] = sum * inv;
          v = x[i + 9]!;
          if (!(v > 0)) { i += 9; break; }
          sum += v - x[j + 9]!;
          o[i + 9] = sum * inv;
          v = x[i + 10]!;
          if (!(v > 0)) { i += 10; break; }
          sum += v - x[j + 10]!;
          o[i + 10] = sum * inv;
          v = x[i + 11]!;
          if (!(v > 0)) { i += 11; break; }
          sum += v - x[j + 11]!;
          o[i + 11] = sum * inv;
          v = x[i + 12]!;
          if (!(v > 0)) { i += 12; break; }
          sum += v - x[j + 12]!;
          o[i + 12] = sum * inv;
          v = x[i + 13]!;
          if (!(v > 0)) { i += 13; break; }
          sum += v - x[j + 13]!;
          o[i + 13] = sum * inv;
          v = x[i + 14]!;
          if (!(v > 0)) { i += 14; break; }
          sum += v - x[j + 14]!;
          o[i + 14] = sum * inv;
          v = x[i + 15]!;
          if (!(v > 0)) { i += 15; break; }
          sum += v - x[j + 15]!;
          o[i + 15] = sum * inv;
        }
      }
      // The rest (and everything from a bad input on), one bar at a time.
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
