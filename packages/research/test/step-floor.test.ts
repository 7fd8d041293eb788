import { floorToStep } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { stepFloor } from '../src/sweep/step-floor';
import { testRng } from './helpers';

describe('stepFloor', () => {
  it('returns exactly what floorToStep returns, over many steps and magnitudes', () => {
    const r = testRng(9);
    for (const step of [1, 10, 0.1, 0.01, 0.001, 1e-5, 1e-8, 0.5, 0.05, 5e-5, 0.25, 1e-12, 0]) {
      const f = stepFloor(step);
      for (let i = 0; i < 800; i++) {
        const v = 10 ** (r() * 24 - 12) * (r() < 0.02 ? 1 : 1 + r());
        expect(f(v), `step ${step} value ${v}`).toBe(floorToStep(v, step));
        // Values sitting on a step (and a hair under) are where float noise bites.
        const on = Math.round(v / (step || 1)) * step;
        expect(f(on), `on-step ${on}`).toBe(floorToStep(on, step));
        expect(f(on * (1 - 1e-15)), `below ${on}`).toBe(floorToStep(on * (1 - 1e-15), step));
      }
    }
  });
});
