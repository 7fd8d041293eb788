import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/**
 * Average True Range with Wilder smoothing, seeded by the SMA of the first
 * `period` true ranges. True range needs the previous close, so it starts at
 * bar 1 (TA-Lib / technicalindicators convention; tulip also counts bar 0
 * as high - low and is one bar earlier). State: [count, prevClose, atr].
 */
export const atr = defineIndicator<P>({
  name: 'atr',
  title: 'Average True Range',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  notes: 'Wilder smoothing (alpha = 1/period) seeded by the SMA of the first `period` true ranges; TR starts at bar 1 (needs a previous close).',
  kernel: {
    layout: () => ({ size: 3, hot: 3 }),
    run(ins, outs, st, p, from, to) {
      const hi = ins[0]!;
      const lo = ins[1]!;
      const cl = ins[2]!;
      const o = outs[0]!;
      const n = p.period;
      const inv = 1 / n;
      let cnt = st[0]!;
      let prev = st[1]!;
      let v = st[2]!;
      for (let i = from; i < to; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        if (cnt === 0) {
          prev = cl[i]!;
          cnt = 1;
          o[i] = NaN;
          continue;
        }
        let tr = h - l;
        const a = h > prev ? h - prev : prev - h;
        const b = l > prev ? l - prev : prev - l;
        if (a > tr) tr = a;
        if (b > tr) tr = b;
        prev = cl[i]!;
        // cnt - 1 = true ranges seen before this one.
        cnt++;
        if (cnt - 1 < n) {
          v += tr;
          o[i] = NaN;
        } else if (cnt - 1 === n) {
          v = (v + tr) / n;
          o[i] = v;
        } else {
          v += (tr - v) * inv;
          o[i] = v;
        }
      }
      st[0] = cnt;
      st[1] = prev;
      st[2] = v;
    },
  },
});
