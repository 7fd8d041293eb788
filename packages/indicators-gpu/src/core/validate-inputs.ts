import { IndicatorError } from './indicator-error.js';
import type { InputName, SeriesInputs } from './types.js';

/**
 * Resolve the arrays an indicator reads, in its input order, and reject
 * anything that would make the kernel emit a silent NaN series: missing or
 * unequal-length inputs, NaN/Infinity, non-positive prices, negative volume
 * and high < low.
 */
export function validateInputs(indicator: string, names: readonly InputName[], inputs: SeriesInputs): Float64Array[] {
  const arrays = resolveInputs(indicator, names, inputs);
  checkInputValues(indicator, names, arrays);
  return arrays;
}

/**
 * The shape half of {@link validateInputs}: resolve the arrays in input
 * order, all Float64Array and of one length. Values are not looked at.
 */
export function resolveInputs(indicator: string, names: readonly InputName[], inputs: SeriesInputs): Float64Array[] {
  if (inputs === null || typeof inputs !== 'object') {
    throw new IndicatorError('INDICATOR_BAD_INPUT', `${indicator}: inputs must be an object of Float64Array`);
  }
  const arrays: Float64Array[] = [];
  let n = -1;
  for (const name of names) {
    const a = inputs[name];
    if (!(a instanceof Float64Array)) {
      throw new IndicatorError('INDICATOR_BAD_INPUT', `${indicator}: input '${name}' is missing or not a Float64Array`, name);
    }
    if (n === -1) n = a.length;
    else if (a.length !== n) {
      throw new IndicatorError(
        'INDICATOR_BAD_INPUT',
        `${indicator}: input '${name}' has length ${a.length}, expected ${n} like '${names[0]}'`,
        name,
      );
    }
    arrays.push(a);
  }
  return arrays;
}

/**
 * The value half of {@link validateInputs}: throws a typed error naming the
 * first bad input and index (NaN/Infinity, price <= 0, volume < 0, high < low).
 */
export function checkInputValues(indicator: string, names: readonly InputName[], arrays: readonly Float64Array[]): void {
  const hi = names.indexOf('high');
  const lo = names.indexOf('low');
  const ci = names.indexOf('close');
  // Candle inputs: one fused pass over high/low/close instead of four (it is
  // most of the cost of a cheap indicator); the precise checks below only
  // run to name the culprit.
  const fused = hi >= 0 && lo >= 0 && ci >= 0 && fastCandleCheck(arrays[hi]!, arrays[lo]!, arrays[ci]!);
  names.forEach((name, k) => {
    if (!(fused && (k === hi || k === lo || k === ci))) checkValues(indicator, name, arrays[k]!);
  });
  if (hi >= 0 && lo >= 0 && !fused) checkHighLow(indicator, arrays[hi]!, arrays[lo]!);
}

/** True when every bar has 0 < low <= high < Infinity and 0 < close < Infinity (NaN fails every comparison). */
function fastCandleCheck(high: Float64Array, low: Float64Array, close: Float64Array): boolean {
  for (let i = 0; i < high.length; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (!(l > 0 && h >= l && h < Infinity && c > 0 && c < Infinity)) return false;
  }
  return true;
}

/** True when every value is a finite price > 0; four bars per branch (NaN fails every comparison). */
function allPrices(a: Float64Array): boolean {
  const n = a.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const v0 = a[i]!;
    const v1 = a[i + 1]!;
    const v2 = a[i + 2]!;
    const v3 = a[i + 3]!;
    if (!(v0 > 0 && v1 > 0 && v2 > 0 && v3 > 0 && v0 < Infinity && v1 < Infinity && v2 < Infinity && v3 < Infinity)) return false;
  }
  for (; i < n; i++) {
    const v = a[i]!;
    if (!(v > 0 && v < Infinity)) return false;
  }
  return true;
}

function checkValues(indicator: string, name: InputName, a: Float64Array): void {
  if (name !== 'volume' && allPrices(a)) return;
  const n = a.length;
  // One branch-light pass; the slow path below only runs to build the message.
  if (name === 'volume') {
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      if (!(v >= 0 && v < Infinity)) throw badValue(indicator, name, i, v, 'a finite number >= 0');
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      if (!(v > 0 && v < Infinity)) throw badValue(indicator, name, i, v, 'a finite price > 0');
    }
  }
}

function checkHighLow(indicator: string, high: Float64Array, low: Float64Array): void {
  for (let i = 0; i < high.length; i++) {
    if (high[i]! < low[i]!) {
      throw new IndicatorError(
        'INDICATOR_BAD_INPUT',
        `${indicator}: input 'high' (${high[i]}) is below 'low' (${low[i]}) at index ${i}`,
        'high',
      );
    }
  }
}

function badValue(indicator: string, name: string, i: number, v: number, want: string): IndicatorError {
  return new IndicatorError('INDICATOR_BAD_INPUT', `${indicator}: input '${name}' is ${v} at index ${i}, expected ${want}`, name);
}
