import { describe, expect, it } from 'vitest';
import { runSteps, type Steps } from './run-steps';

/** Adds what it is given at each step, logging the order things happen in. */
function* adder(inputs: readonly unknown[], log: string[]): Steps<number> {
  let sum = 0;
  for (const [i, input] of inputs.entries()) {
    try {
      sum += (yield input) as number;
      log.push(`step ${i}`);
    } catch (err) {
      log.push(`caught ${(err as Error).message}`);
    }
  }
  return sum;
}

describe('runSteps', () => {
  it('returns the result itself when every step is a plain value', () => {
    const log: string[] = [];
    expect(runSteps(adder([1, 2, 3], log))).toBe(6);
    expect(log).toEqual(['step 0', 'step 1', 'step 2']);
  });

  it('switches to a promise at the first awaited step and keeps the same order and values', async () => {
    const log: string[] = [];
    const result = runSteps(adder([1, Promise.resolve(2), 3, Promise.resolve(4)], log));
    expect(result).toBeInstanceOf(Promise);
    expect(log).toEqual(['step 0']);
    expect(await result).toBe(10);
    expect(log).toEqual(['step 0', 'step 1', 'step 2', 'step 3']);
  });

  it('throws a rejection back in at its step, as await would', async () => {
    const log: string[] = [];
    expect(await runSteps(adder([1, Promise.reject(new Error('down')), 5], log))).toBe(6);
    expect(log).toEqual(['step 0', 'caught down', 'step 2']);
  });

  it('passes on what the steps do not catch: thrown at once when synchronous, rejected when awaiting', async () => {
    function* failing(first: unknown): Steps<void> {
      yield first;
      throw new Error('bad');
    }
    expect(() => runSteps(failing(1))).toThrow('bad');
    await expect(runSteps(failing(Promise.resolve(1)))).rejects.toThrow('bad');
  });
});
