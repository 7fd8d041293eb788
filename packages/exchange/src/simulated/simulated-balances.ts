import { type Balances, type Market, KairosError, StepCounter, amountUnit, commonUnit } from '@kairos/core';

/**
 * The simulated account's free and reserved balances. A currency that is only ever a
 * base is counted in whole units (the common unit of its markets' amount steps), so
 * what fills, what is reserved and what may be sold add up exactly; quote currencies
 * (cash, paid in prices × amounts and fees) are doubles.
 */
export class SimulatedBalances {
  private readonly free = new Map<string, number>();
  private readonly used = new Map<string, number>();
  /** Exact counters of base-only currencies. */
  private readonly units = new Map<string, StepCounter>();
  /** Largest cash balance a currency has had: the scale of the float noise its sums carry. */
  private readonly peak = new Map<string, number>();

  constructor(markets: readonly Market[], initial: Readonly<Record<string, number>>) {
    const quotes = new Set(markets.map((m) => m.quote));
    const stepsByBase = new Map<string, number[]>();
    for (const m of markets) {
      if (quotes.has(m.base)) continue;
      const list = stepsByBase.get(m.base) ?? [];
      list.push(amountUnit(m));
      stepsByBase.set(m.base, list);
    }
    for (const [base, steps] of stepsByBase) {
      const unit = commonUnit(steps);
      if (unit !== undefined) this.units.set(base, new StepCounter(unit));
    }
    for (const [ccy, amount] of Object.entries(initial)) {
      if (!(amount >= 0) || !Number.isFinite(amount)) throw new KairosError('CONFIG_INVALID', `balance of ${ccy} must be a finite number >= 0, got ${amount}`);
      const unit = this.units.get(ccy);
      if (unit && !unit.isWhole(amount)) {
        throw new KairosError('CONFIG_INVALID', `balance of ${ccy} (${amount}) must be a whole number of its amount step ${unit.step}`);
      }
      this.free.set(ccy, unit ? unit.amountOf(unit.count(amount)) : amount);
    }
  }

  freeOf(ccy: string): number {
    return this.free.get(ccy) ?? 0;
  }

  /**
   * Whether `amount` of `ccy` is free: exact in units for a base currency (so a holding
   * built of split fills can be sold whole), within float noise for cash.
   */
  covers(ccy: string, amount: number): boolean {
    const free = this.freeOf(ccy);
    const unit = this.units.get(ccy);
    if (unit) return unit.count(amount) <= unit.count(free);
    return amount <= free + Math.abs(free) * 1e-12;
  }

  /** Moves `freeDelta` into free and `usedDelta` into used (reserved) balance. */
  move(ccy: string, freeDelta: number, usedDelta: number): void {
    const unit = this.units.get(ccy);
    const free0 = this.freeOf(ccy);
    const used0 = this.used.get(ccy) ?? 0;
    if (unit) {
      const free = unit.count(free0) + unit.count(freeDelta);
      const used = unit.count(used0) + unit.count(usedDelta);
      if (free < 0 || used < 0) throw new KairosError('INTERNAL', `balance of ${ccy} would go negative (free ${free} units, used ${used} units of ${unit.step})`);
      this.free.set(ccy, unit.amountOf(free));
      this.used.set(ccy, unit.amountOf(used));
      return;
    }
    const free = free0 + freeDelta;
    const used = used0 + usedDelta;
    // Cash is a running sum of products: its rounding error grows with the largest amounts
    // it has held, not with today's (a reserve of 5,000 released after fills leaves 1e-13
    // of noise on a balance of 0.0007). Below zero by that much is noise; more is a bug.
    const peak = Math.max(this.peak.get(ccy) ?? 0, Math.abs(free0), Math.abs(used0), Math.abs(freeDelta), Math.abs(usedDelta));
    this.peak.set(ccy, peak);
    const noise = peak * 1e-12;
    if (free < -noise || used < -noise) throw new KairosError('INTERNAL', `balance of ${ccy} would go negative (free ${free}, used ${used})`);
    this.free.set(ccy, Math.max(0, free));
    this.used.set(ccy, Math.max(0, used));
  }

  /** Free and reserved amounts by currency, as saved in a venue snapshot. */
  entries(): Record<string, { free: number; used: number }> {
    const out: Record<string, { free: number; used: number }> = {};
    for (const ccy of new Set([...this.free.keys(), ...this.used.keys()])) out[ccy] = { free: this.freeOf(ccy), used: this.used.get(ccy) ?? 0 };
    return out;
  }

  /** Puts back balances saved by {@link entries} (base currencies exactly, in their units). */
  restore(entries: Readonly<Record<string, { free: number; used: number }>>): void {
    this.free.clear();
    this.used.clear();
    for (const [ccy, e] of Object.entries(entries)) {
      if (!(e.free >= 0) || !(e.used >= 0)) throw new KairosError('DATA_INVALID', `saved balance of ${ccy} is negative (free ${e.free}, used ${e.used})`);
      const unit = this.units.get(ccy);
      this.free.set(ccy, unit ? unit.amountOf(unit.count(e.free)) : e.free);
      this.used.set(ccy, unit ? unit.amountOf(unit.count(e.used)) : e.used);
    }
  }

  snapshot(): Balances {
    const out: Record<string, { currency: string; free: number; used: number; total: number }> = {};
    for (const ccy of new Set([...this.free.keys(), ...this.used.keys()])) {
      const free = this.freeOf(ccy);
      const used = this.used.get(ccy) ?? 0;
      const unit = this.units.get(ccy);
      out[ccy] = { currency: ccy, free, used, total: unit ? unit.amountOf(unit.count(free) + unit.count(used)) : free + used };
    }
    return out;
  }
}
