import { describe, expect, it } from 'vitest';
import { floorToStep, isOnStep, roundToStep, stepFloorer } from './precision';

describe('precision', () => {
  it('floors amounts to the step without float noise', () => {
    expect(floorToStep(0.87985, 0.0001)).toBe(0.8798);
    expect(floorToStep(0.3, 0.1), '0.3/0.1 is 2.9999999999999996 in floats').toBe(0.3);
    expect(floorToStep(123.456, 1)).toBe(123);
    expect(floorToStep(5e-9, 1e-8)).toBe(0);
  });
  it('rounds prices to the nearest step', () => {
    expect(roundToStep(42000.126, 0.01)).toBe(42000.13);
    expect(roundToStep(0.000001234, 1e-8)).toBe(0.00000123);
  });
  it('recognises values on and off the step', () => {
    expect(isOnStep(0.8798, 0.0001)).toBe(true);
    expect(isOnStep(0.87985, 0.0001)).toBe(false);
    expect(isOnStep(1.5, 0.5)).toBe(true);
  });
});

/** The original decimal-formatting definition, kept here as the oracle. */
function oracle(value: number, step: number, round: (x: number) => number): number {
  if (!(step > 0)) return value;
  const s = step.toString();
  const e = s.indexOf('e-');
  const d = e >= 0 ? Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0) : (s.split('.')[1]?.length ?? 0);
  return Number((round(value) * step).toFixed(Math.min(20, d)));
}

describe('precision fast path', () => {
  it('gives exactly the doubles of the decimal definition, over many steps and magnitudes', () => {
    let seed = 9;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const step of [1, 10, 0.1, 0.01, 0.001, 1e-5, 1e-8, 0.5, 0.05, 5e-5, 0.25, 1e-12, 0.00009999999999999999, 0]) {
      const f = stepFloorer(step);
      for (let i = 0; i < 600; i++) {
        const v = 10 ** (rnd() * 24 - 12) * (rnd() < 0.02 ? 1 : 1 + rnd());
        const on = Math.round(v / (step || 1)) * step;
        for (const x of [v, on, on * (1 - 1e-15)]) {
          const want = oracle(x, step, (y) => Math.floor(y / step + 1e-9));
          expect(floorToStep(x, step), `floor step ${step} value ${x}`).toBe(want);
          expect(f(x), `floorer step ${step} value ${x}`).toBe(want);
          expect(roundToStep(x, step), `round step ${step} value ${x}`).toBe(oracle(x, step, (y) => Math.round(y / step)));
        }
      }
    }
  });
});
