import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { factor } from '../kernels/param.js';

const params = z.object({ step: factor(0.02, 1e-6, 1), max: factor(0.2, 1e-6, 1) });
type P = z.output<typeof params>;

const CNT = 0;
const LONG = 1;
const SAR = 2;
const EP = 3;
const AF = 4;
const PH = 5;
const PL = 6;
const PPH = 7;
const PPL = 8;

/**
 * Parabolic SAR (tulip / technicalindicators algorithm): the first trend is
 * long when bar 1's (h+l) is not below bar 0's; SAR starts at the opposite
 * extreme of bar 0 and advances by accel*(extreme - SAR) every bar from bar
 * 1, kept outside the previous two bars' range; accel grows by `step` (up to
 * `max`) on each new extreme. On a cross the SAR flips to the extreme point,
 * and that flipped value is the one reported for the bar.
 */
export const psar = defineIndicator<P>({
  name: 'psar',
  title: 'Parabolic SAR',
  inputs: ['high', 'low'],
  params,
  outputs: ['value'],
  warmup: () => 1,
  check: (p) => (p.step <= p.max ? undefined : `'step' (${p.step}) must not exceed 'max' (${p.max})`),
  kernel: {
    layout: () => ({ size: 9, hot: 9 }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const o = outs[0]!;
      for (let i = from; i < to; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        const cnt = st[CNT]!;
        st[CNT] = cnt + 1;
        if (cnt === 0) {
          st[PH] = h;
          st[PL] = l;
          o[i] = NaN;
          continue;
        }
        if (cnt === 1) {
          // The initial direction needs bar 1; bar 0's extremes seed it.
          const long = st[PH]! + st[PL]! <= h + l;
          st[LONG] = long ? 1 : 0;
          st[EP] = long ? st[PH]! : st[PL]!;
          st[SAR] = long ? st[PL]! : st[PH]!;
          st[AF] = p.step;
        }
        let long = st[LONG] === 1;
        let ep = st[EP]!;
        let af = st[AF]!;
        let sar = (ep - st[SAR]!) * af + st[SAR]!;
        if (long) {
          if (cnt >= 2 && sar > st[PPL]!) sar = st[PPL]!;
          if (sar > st[PL]!) sar = st[PL]!;
          if (af < p.max && h > ep) af = Math.min(af + p.step, p.max);
          if (h > ep) ep = h;
        } else {
          if (cnt >= 2 && sar < st[PPH]!) sar = st[PPH]!;
          if (sar < st[PH]!) sar = st[PH]!;
          if (af < p.max && l < ep) af = Math.min(af + p.step, p.max);
          if (l < ep) ep = l;
        }
        if ((long && l < sar) || (!long && h > sar)) {
          af = p.step;
          sar = ep;
          long = !long;
          ep = long ? h : l;
        }
        o[i] = sar;
        st[LONG] = long ? 1 : 0;
        st[SAR] = sar;
        st[EP] = ep;
        st[AF] = af;
        st[PPH] = st[PH]!;
        st[PPL] = st[PL]!;
        st[PH] = h;
        st[PL] = l;
      }
    },
  },
});
