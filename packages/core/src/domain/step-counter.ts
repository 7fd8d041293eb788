import { KairosError } from '../errors/kairos-error';
import { type DecimalForm, decimalForm, multiple } from './precision';
import type { Market } from './market';

/**
 * Most whole steps an amount may have to be counted exactly: the double nearest to k·step,
 * divided by the step, is then within 1/8 of k, so counts round back to k without fail.
 * Real venues stay far below it (9,000 BTC in 1e-5 steps is 9e8 steps).
 */
export const MAX_EXACT_STEPS = 2 ** 48;

/** The unit amounts of a market are counted in: its amount step, or 1e-8 where the venue gives none. */
export function amountUnit(market: Pick<Market, 'amountStep'>): number {
  return market.amountStep > 0 ? market.amountStep : 1e-8;
}

/**
 * Counts amounts of one market in whole steps, so that sums and differences of fills are
 * integer arithmetic and exact: 457425.6 + 130636.7 is 5,880,623 steps of 0.1, never
 * 588062.2999999999. Amounts cross back into doubles once, as the double nearest to the
 * exact decimal k·step.
 */
export class StepCounter {
  private readonly form: DecimalForm;

  constructor(readonly step: number) {
    if (!(step > 0) || !Number.isFinite(step)) throw new KairosError('CONFIG_INVALID', `an amount step must be a positive number, got ${step}`);
    this.form = decimalForm(step);
  }

  /** The double nearest to `steps` × step. */
  amountOf(steps: number): number {
    return multiple(steps, this.step, this.form);
  }

  /** Whole steps in an amount that is on the step up to float noise (a venue's fill, an order size). */
  count(amount: number): number {
    return Math.round(amount / this.step);
  }

  /** The most whole steps whose amount is not above `amount` (what may be sold or spent). */
  floor(amount: number): number {
    const k = Math.round(amount / this.step);
    return this.amountOf(k) > amount ? k - 1 : k;
  }

  /** The fewest whole steps whose amount is not below `amount`. */
  ceil(amount: number): number {
    const k = Math.round(amount / this.step);
    return this.amountOf(k) < amount ? k + 1 : k;
  }

  /**
   * Whether `amount` is a whole number of steps up to float noise: within a millionth of a
   * step, or within a few units in the last place of the amount (large counts of small
   * steps, where a millionth of a step is below the double's spacing).
   */
  isWhole(amount: number): boolean {
    const diff = Math.abs(amount - this.amountOf(Math.round(amount / this.step)));
    return diff <= this.step * 1e-6 || diff <= Math.abs(amount) * 2 ** -50;
  }

  /** `amount` floored to the step, as a double. */
  floorAmount(amount: number): number {
    return this.amountOf(this.floor(amount));
  }
}

/**
 * The largest unit every one of `steps` is a whole multiple of (their decimal greatest
 * common divisor), so one exact count can hold a currency traded in several markets.
 * Undefined when a step has no short decimal form.
 */
export function commonUnit(steps: readonly number[]): number | undefined {
  let scale = 1;
  const forms: Array<{ m: number; scale: number }> = [];
  for (const s of steps) {
    const f = decimalForm(s);
    if (!f) return undefined;
    forms.push(f);
    scale = Math.max(scale, f.scale);
  }
  if (forms.length === 0) return undefined;
  let g = 0;
  for (const f of forms) g = gcd(g, f.m * (scale / f.scale));
  return g / scale;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
