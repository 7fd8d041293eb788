import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_EXACT_STEPS, StepCounter, commonUnit } from './step-counter';

const STEPS = [1e-8, 5e-7, 1e-5, 0.001, 0.01, 0.1, 0.25, 0.5, 1, 5, 10, 100, 1000];

describe('StepCounter', () => {
  it('adds split fills exactly where doubles do not', () => {
    const c = new StepCounter(0.1);
    expect(457425.6 + 130636.7).not.toBe(588062.3);
    expect(c.amountOf(c.count(457425.6) + c.count(130636.7))).toBe(588062.3);
    expect(c.amountOf(c.count(588062.3) - c.count(457425.6))).toBe(130636.7);
  });

  it('floors to what may be sold: never above the amount, and an exact multiple stays whole', () => {
    const c = new StepCounter(0.1);
    expect(c.floor(588062.2999999999)).toBe(5880622);
    expect(c.floor(588062.3)).toBe(5880623);
    expect(c.ceil(588062.2999999999)).toBe(5880623);
    expect(c.floorAmount(0.35)).toBe(0.3);
    expect(new StepCounter(1).floor(734880574.9999999)).toBe(734880574);
  });

  it('counts back every multiple it writes, for any step and any count up to MAX_EXACT_STEPS', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STEPS), fc.integer({ min: 0, max: MAX_EXACT_STEPS }), fc.integer({ min: 0, max: 2 ** 30 }), (step, k, j) => {
        const c = new StepCounter(step);
        const a = c.amountOf(k);
        expect(c.count(a)).toBe(k);
        expect(c.floor(a)).toBe(k);
        expect(c.ceil(a)).toBe(k);
        expect(c.isWhole(a)).toBe(true);
        // Sums and differences through counts are the exact multiple, never off by float noise.
        if (k >= j) expect(c.count(c.amountOf(k - j)) + c.count(c.amountOf(j))).toBe(k);
        // The floor of any double is the largest count whose amount is not above it.
        const x = a * (1 + 1e-7) + step / 3;
        const f = c.floor(x);
        expect(c.amountOf(f)).toBeLessThanOrEqual(x);
        expect(c.amountOf(f + 1)).toBeGreaterThan(x);
      }),
      { seed: 15, numRuns: 2000 },
    );
  });

  it('refuses a step that is not a positive number, with a typed error', () => {
    expect(() => new StepCounter(0)).toThrow(/amount step must be a positive number/);
    expect(() => new StepCounter(Number.NaN)).toThrow(/CONFIG_INVALID|positive/);
  });
});

describe('commonUnit', () => {
  it('is the decimal greatest common divisor of the steps', () => {
    expect(commonUnit([0.01, 0.001])).toBe(0.001);
    expect(commonUnit([0.25, 0.1])).toBe(0.05);
    expect(commonUnit([10, 4])).toBe(2);
    expect(commonUnit([1e-8])).toBe(1e-8);
    expect(commonUnit([])).toBeUndefined();
  });
});
