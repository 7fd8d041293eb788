import { describe, expect, it } from 'vitest';
import { getIndicator } from '../src/index.js';
import { barAt, loadFixture } from './helpers/fixture-candles.js';

/**
 * Indicators with no technicalindicators/tulind counterpart (or a different
 * convention there) checked against a naive O(n * period) re-statement of
 * their definition, written independently of the kernels' rolling updates.
 */
const fx = loadFixture();
const { high: H, low: L, close: C, volume: V, benchmark: B } = fx.inputs;
const n = fx.length;

const window = (a: Float64Array, i: number, p: number) => Array.from(a.subarray(i - p + 1, i + 1));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const tr = (i: number) => Math.max(H[i]! - L[i]!, Math.abs(H[i]! - C[i - 1]!), Math.abs(L[i]! - C[i - 1]!));
const clv = (i: number) => (H[i]! > L[i]! ? (C[i]! - L[i]! - (H[i]! - C[i]!)) / (H[i]! - L[i]!) : 0);

function expectSeries(name: string, params: Record<string, unknown>, output: string, ref: (i: number) => number, tol = 1e-9): void {
  const ind = getIndicator(name);
  const p = ind.parseParams(params as never);
  const w = ind.spec.warmup(p);
  const got = ind.batch(fx.inputs, p)[output]!;
  for (let i = w; i < n; i++) {
    const r = ref(i);
    expect(Math.abs(got[i]! - r), `${name}.${output}[${i}]: ${got[i]} vs ${r}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(r)));
  }
}

describe('naive references', () => {
  it('stochrsi with k = d = 1 is the raw %K of RSI, the same in batch and bar by bar', () => {
    const rsi = getIndicator('rsi').batch(fx.inputs, { period: 14 }).value!;
    const raw = (i: number) => {
      const w = window(rsi, i, 14);
      const hi = Math.max(...w);
      const lo = Math.min(...w);
      return hi === lo ? 50 : (100 * (rsi[i]! - lo)) / (hi - lo);
    };
    expectSeries('stochrsi', { k: 1, d: 1 }, 'k', raw);
    expectSeries('stochrsi', { k: 1, d: 1 }, 'd', raw);
    const ind = getIndicator('stochrsi');
    const batch = ind.batch(fx.inputs, { k: 1, d: 1 }).k!;
    const stream = ind.stream({ k: 1, d: 1 });
    for (let i = 0; i < n; i++) {
      const v = stream.update(barAt(fx.inputs, i)).k!;
      expect(Object.is(v, batch[i]) || (Number.isNaN(v) && Number.isNaN(batch[i])), `bar ${i}`).toBe(true);
    }
  });

  it('donchian', () => {
    expectSeries('donchian', { period: 20 }, 'upper', (i) => Math.max(...window(H, i, 20)));
    expectSeries('donchian', { period: 20 }, 'lower', (i) => Math.min(...window(L, i, 20)));
  });

  it('zscore and sample stddev', () => {
    expectSeries('zscore', { period: 20 }, 'value', (i) => {
      const w = window(C, i, 20);
      const m = mean(w);
      return (C[i]! - m) / Math.sqrt(mean(w.map((x) => (x - m) ** 2)));
    });
    expectSeries('stddev', { period: 20, sample: true }, 'value', (i) => {
      const w = window(C, i, 20);
      const m = mean(w);
      return Math.sqrt(w.reduce((s, x) => s + (x - m) ** 2, 0) / 19);
    });
  });

  it('correl (levels) and beta (returns) against the benchmark input', () => {
    expectSeries('correl', { period: 30 }, 'value', (i) => {
      const x = window(C, i, 30);
      const y = window(B, i, 30);
      const mx = mean(x);
      const my = mean(y);
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let k = 0; k < 30; k++) {
        sxy += (x[k]! - mx) * (y[k]! - my);
        sxx += (x[k]! - mx) ** 2;
        syy += (y[k]! - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    });
    expectSeries('beta', { period: 30 }, 'value', (i) => {
      const rx: number[] = [];
      const ry: number[] = [];
      for (let k = i - 29; k <= i; k++) {
        rx.push(C[k]! / C[k - 1]! - 1);
        ry.push(B[k]! / B[k - 1]! - 1);
      }
      const mx = mean(rx);
      const my = mean(ry);
      let cov = 0;
      let vy = 0;
      for (let k = 0; k < 30; k++) {
        cov += (rx[k]! - mx) * (ry[k]! - my);
        vy += (ry[k]! - my) ** 2;
      }
      return cov / vy;
    }, 1e-8);
  });

  it('cmf, er, vortex, chop', () => {
    expectSeries('cmf', { period: 20 }, 'value', (i) => {
      let mf = 0;
      let vol = 0;
      for (let k = i - 19; k <= i; k++) {
        mf += clv(k) * V[k]!;
        vol += V[k]!;
      }
      return mf / vol;
    });
    expectSeries('er', { period: 10 }, 'value', (i) => {
      let path = 0;
      for (let k = i - 9; k <= i; k++) path += Math.abs(C[k]! - C[k - 1]!);
      return Math.abs(C[i]! - C[i - 10]!) / path;
    });
    expectSeries('vortex', { period: 14 }, 'plus', (i) => {
      let vp = 0;
      let t = 0;
      for (let k = i - 13; k <= i; k++) {
        vp += Math.abs(H[k]! - L[k - 1]!);
        t += tr(k);
      }
      return vp / t;
    });
    expectSeries('chop', { period: 14 }, 'value', (i) => {
      let t = 0;
      for (let k = i - 13; k <= i; k++) t += tr(k);
      const range = Math.max(...window(H, i, 14)) - Math.min(...window(L, i, 14));
      return (100 * Math.log10(t / range)) / Math.log10(14);
    });
  });

  it('hv, coppock, elder ray', () => {
    expectSeries('hv', { period: 20, periodsPerYear: 8760 }, 'value', (i) => {
      const r: number[] = [];
      for (let k = i - 19; k <= i; k++) r.push(Math.log(C[k]! / C[k - 1]!));
      const m = mean(r);
      return Math.sqrt(r.reduce((s, x) => s + (x - m) ** 2, 0) / 19) * Math.sqrt(8760) * 100;
    });
    expectSeries('coppock', { long: 14, short: 11, wma: 10 }, 'value', (i) => {
      let num = 0;
      for (let k = 0; k < 10; k++) {
        const j = i - 9 + k;
        num += (k + 1) * (((C[j]! - C[j - 14]!) / C[j - 14]! + (C[j]! - C[j - 11]!) / C[j - 11]!) * 100);
      }
      return num / 55;
    });
    const ema = getIndicator('ema').batch({ close: C }, { period: 13 }).value!;
    expectSeries('elderray', { period: 13 }, 'bull', (i) => H[i]! - ema[i]!);
  });
});
