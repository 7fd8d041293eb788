import type { Kernel } from '../core/kernel.js';
import { blockCoefficients, type BlockCoefficients } from '../kernels/block-smoothing.js';

/** ATR's params as the kernel reads them. */
export interface AtrParams {
  readonly period: number;
}

/** Wilder's smoothing, alpha = 1/period, in block form. */
export function atrCoefficients(period: number): BlockCoefficients {
  return blockCoefficients(1 / period);
}

/**
 * The ATR kernel (the indicator and its stream are in `atr.ts`, which
 * describes the arithmetic). State: [count (capped at period + 1),
 * prevClose, atr (block base), c, phase k].
 */
export const atrKernel: Kernel<AtrParams> = {
  layout: () => ({ size: 5, hot: 5 }),
  screensInputs: true,
  run(ins, outs, st, p, from, to) {
    const hi = ins[0]!;
    const lo = ins[1]!;
    const cl = ins[2]!;
    const o = outs[0]!;
    // An int, so index arithmetic stays in integer registers (params may arrive as doubles).
    const n = p.period | 0;
    const { a, b, b2, b3, b4 } = atrCoefficients(n);
    // After the seed: a/2 times the doubled true range (halving is exact), one
    // multiply less per bar; the stream computes it the same way.
    const ah = a * 0.5;
    let cnt = st[0]!;
    let pc = st[1]!;
    let v = st[2]!;
    let c = st[3]!;
    let k = st[4]!;
    // Screening: l > 0, h - l >= 0 and close > 0 per bar (NaN fails each).
    // +Infinity in high or close passes them but makes a true range, and so
    // the ATR, infinite; bar 0's high and the last close feed no true range
    // here, so those two are checked outright.
    let ok = true;
    let i = from;
    if (i < to && cnt === 0) {
      const h = hi[i]!;
      const l = lo[i]!;
      pc = cl[i]!;
      if (!(l > 0 && h - l >= 0 && h < Infinity && pc > 0)) ok = false;
      cnt = 1;
      o[i] = NaN;
      i++;
    }
    for (; i < to && cnt <= n; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      const tr = (h - l + Math.abs(h - pc) + Math.abs(l - pc)) * 0.5;
      pc = cl[i]!;
      if (!(l > 0 && h - l >= 0 && pc > 0)) ok = false;
      cnt++;
      if (cnt <= n) {
        v += tr;
        o[i] = NaN;
      } else {
        v = (v + tr) / n;
        o[i] = v;
      }
    }
    // Finish a block begun in an earlier call, one bar at a time.
    for (; i < to && k !== 0; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
      pc = cl[i]!;
      if (!(l > 0 && h - l >= 0 && pc > 0)) ok = false;
      const y = (k === 1 ? b2 : k === 2 ? b3 : b4) * v + c;
      o[i] = y;
      if (++k === 4) {
        v = y;
        k = 0;
      }
    }
    // Whole blocks from a block boundary, four blocks per trip, each bar read, screened
    // and smoothed in turn (few live registers). A bad input leaves the loop at its bar
    // for the bar-at-a-time loop below, which flags it: the hot path carries no `ok`.
    // `to` masked to 30 bits lets Turbofan prove that i + 15 fits an int32 and drop an
    // overflow check per access; series of 2^30 bars or more go bar by bar.
    if (k === 0 && to < 0x40000000) {
      const start = i & 0x3fffffff;
      const last = (to & 0x3fffffff) - 15;
      for (i = start; i < last; i += 16) {
        let h = hi[i]!;
        let l = lo[i]!;
        let q = cl[i]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) break;
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc));
        pc = q;
        o[i] = b * v + c;
        h = hi[i + 1]!;
        l = lo[i + 1]!;
        q = cl[i + 1]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 1; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 1] = b2 * v + c;
        h = hi[i + 2]!;
        l = lo[i + 2]!;
        q = cl[i + 2]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 2; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 2] = b3 * v + c;
        h = hi[i + 3]!;
        l = lo[i + 3]!;
        q = cl[i + 3]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 3; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        v = b4 * v + c;
        o[i + 3] = v;
        h = hi[i + 4]!;
        l = lo[i + 4]!;
        q = cl[i + 4]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 4; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc));
        pc = q;
        o[i + 4] = b * v + c;
        h = hi[i + 5]!;
        l = lo[i + 5]!;
        q = cl[i + 5]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 5; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 5] = b2 * v + c;
        h = hi[i + 6]!;
        l = lo[i + 6]!;
        q = cl[i + 6]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 6; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 6] = b3 * v + c;
        h = hi[i + 7]!;
        l = lo[i + 7]!;
        q = cl[i + 7]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 7; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        v = b4 * v + c;
        o[i + 7] = v;
        h = hi[i + 8]!;
        l = lo[i + 8]!;
        q = cl[i + 8]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 8; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc));
        pc = q;
        o[i + 8] = b * v + c;
        h = hi[i + 9]!;
        l = lo[i + 9]!;
        q = cl[i + 9]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 9; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 9] = b2 * v + c;
        h = hi[i + 10]!;
        l = lo[i + 10]!;
        q = cl[i + 10]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 10; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 10] = b3 * v + c;
        h = hi[i + 11]!;
        l = lo[i + 11]!;
        q = cl[i + 11]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 11; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        v = b4 * v + c;
        o[i + 11] = v;
        h = hi[i + 12]!;
        l = lo[i + 12]!;
        q = cl[i + 12]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 12; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc));
        pc = q;
        o[i + 12] = b * v + c;
        h = hi[i + 13]!;
        l = lo[i + 13]!;
        q = cl[i + 13]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 13; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 13] = b2 * v + c;
        h = hi[i + 14]!;
        l = lo[i + 14]!;
        q = cl[i + 14]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 14; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        o[i + 14] = b3 * v + c;
        h = hi[i + 15]!;
        l = lo[i + 15]!;
        q = cl[i + 15]!;
        if (!(l > 0 && h - l >= 0 && q > 0)) { i += 15; break; }
        c = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc)) + b * c;
        pc = q;
        v = b4 * v + c;
        o[i + 15] = v;
      }
      k = (i - start) & 3;
    }
    // The rest (and everything from a bad input on), one bar at a time.
    for (; i < to; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      const s = ah * (h - l + Math.abs(h - pc) + Math.abs(l - pc));
      c = k === 0 ? s : s + b * c;
      pc = cl[i]!;
      if (!(l > 0 && h - l >= 0 && pc > 0)) ok = false;
      const y = (k === 0 ? b : k === 1 ? b2 : k === 2 ? b3 : b4) * v + c;
      o[i] = y;
      if (++k === 4) {
        v = y;
        k = 0;
      }
    }
    st[0] = cnt;
    st[1] = pc;
    st[2] = v;
    // c is 0 at a block boundary: the streaming step then needs no special case for phase 0.
    st[3] = k === 0 ? 0 : c;
    st[4] = k;
    return ok && v < Infinity && c < Infinity && pc < Infinity;
  },
};
