import { describe, expect, it } from 'vitest';
import { outputWriter } from './output-writer';

describe('outputWriter', () => {
  it('copies each named output into its column at the bar, NaN for a missing one', () => {
    const write = outputWriter(['upper', 'middle', 'lower']);
    const columns = [new Float64Array(3), new Float64Array(3), new Float64Array(3)];
    write({ middle: 2, upper: 3, lower: 1 }, columns, 1);
    write({ upper: 5, middle: 4 }, columns, 2);
    expect(columns.map((c) => [...c])).toEqual([
      [0, 3, 5],
      [0, 2, 4],
      [0, 1, Number.NaN],
    ]);
  });

  it('compiles once per list of names, and names that need quoting stay names', () => {
    expect(outputWriter(['value'])).toBe(outputWriter(['value']));
    expect(outputWriter(['a', 'b'])).not.toBe(outputWriter(['b', 'a']));
    const columns = [new Float64Array(1), new Float64Array(1)];
    outputWriter(['%b', "it's"])({ '%b': 0.5, "it's": 7 }, columns, 0);
    expect(columns.map((c) => c[0])).toEqual([0.5, 7]);
  });
});
