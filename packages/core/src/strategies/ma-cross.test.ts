import { getIndicator } from '@kairos/indicators-gpu';
import { describe, expect, it } from 'vitest';
import { runStrategy } from '../engine/run-strategy';
import { createMaCross, MaCrossParams, MA_CROSS_LADDER } from './ma-cross';
import { loadCandles } from './test-support/real-candles';

const HOUR = 3_600_000;
const data = loadCandles('ETH_USDT-1h.csv');
const close = Float64Array.from(data, (c) => c.close);

describe('ma-cross on real ETH 1h data', () => {
  it('fires exactly on the bars where EMA(12) crosses EMA(26), buys alternating with sells', () => {
    const fast = getIndicator('ema').batch({ close }, { period: 12 }).value as Float64Array;
    const slow = getIndicator('ema').batch({ close }, { period: 26 }).value as Float64Array;
    const expected: string[] = [];
    for (let i = 27; i < data.length; i++) {
      const [f0, s0, f1, s1] = [fast[i], slow[i], fast[i - 1], slow[i - 1]] as [number, number, number, number];
      if (f1 <= s1 && f0 > s0) expected.push(`${i} buy`);
      else if (f1 >= s1 && f0 < s0) expected.push(`${i} sell`);
    }
    const got = runStrategy(createMaCross(MaCrossParams.parse({})), { symbol: 'ETH/USDT', timeframe: '1h', candles: data }).map(
      (s) => `${(s.time - data[0]!.time) / HOUR - 1} ${s.direction}`,
    );
    expect(got.length).toBeGreaterThan(50);
    expect(got).toEqual(expected);
  });

  it('dynamic mode uses the ladder rung of the volatility ratio', () => {
    const p = MaCrossParams.parse({ kind: 'sma', fast: 10, slow: 30, dynamic: true });
    const s = createMaCross(p);
    // Three rungs of SMA pairs, plus the two NATR windows of the ratio.
    expect(Object.keys(s.indicators).sort()).toEqual(['fast0', 'fast1', 'fast2', 'slow0', 'slow1', 'slow2', 'volLong', 'volShort']);
    expect(s.indicators.slow2?.params?.period).toBe(Math.round(30 * (MA_CROSS_LADDER[2]?.multiplier ?? 0)));
    const signals = runStrategy(s, { symbol: 'ETH/USDT', timeframe: '1h', candles: data });
    const periods = new Set(signals.map((x) => /SMA\((\d+)\)/.exec(x.reason)?.[1]));
    expect(periods.size, 'calm and wild stretches of 2024 pick different rungs').toBeGreaterThan(1);
  });
});
