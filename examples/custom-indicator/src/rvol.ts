import { defineIndicator, periodParam, steps } from '@kairos/indicators-gpu';
import { z } from 'zod';

const params = z.object({ period: periodParam(20, 2) });
type P = z.output<typeof params>;

/**
 * Relative volume: this bar's volume / the average volume of the previous
 * `period` bars (> 1 = busier than usual). The average excludes the current
 * bar, so it is a lag of one behind a plain SMA: we keep the previous bar's
 * volume in a hot slot and feed that to a rolling sum.
 *
 * State layout (see Kernel in @kairos/indicators-gpu):
 *   hot  [0]: bars seen, [1]: previous volume, [2..4]: rolling-sum step
 *   cold [5..5+period]: the rolling sum's ring (period + 1 slots)
 */
export const rvol = defineIndicator<P>({
  name: 'rvol',
  title: 'Relative Volume',
  inputs: ['volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 2 + steps.SUM_HOT + p.period + 1, hot: 2 + steps.SUM_HOT }),
    run(inputs, outputs, st, p, from, to) {
      const vol = inputs[0]!;
      const out = outputs[0]!;
      for (let i = from; i < to; i++) {
        const v = vol[i]!;
        // Sum of the previous `period` volumes (NaN until there are that many).
        const sum = st[0] === 0 ? NaN : steps.sumStep(st, 2, 2 + steps.SUM_HOT, p.period, st[1]!);
        st[0] = 1;
        st[1] = v;
        // A window with no volume at all: report 1 (nothing unusual), never NaN.
        out[i] = sum !== sum ? NaN : sum > 0 ? v / (sum / p.period) : 1;
      }
    },
  },
});
