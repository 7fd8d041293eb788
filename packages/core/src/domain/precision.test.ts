import { describe, expect, it } from 'vitest';
import { floorToStep, isOnStep, roundToStep } from './precision';

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
