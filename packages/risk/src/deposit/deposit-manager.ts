import { type ExchangeAdapter, KairosError, parseConfig } from '@kairos/core';
import { z } from 'zod';
import type { ProtectionDeps } from '../protections/protection-deps';
import { stateKey } from '../protections/protection-deps';

export const DepositConfig = z.object({
  /** A fixed deposit in quote units; omitted = taken from the user's balance on first start. */
  initialDeposit: z.number().gt(0).optional(),
  /** Tradable deposit = base deposit × multiplier (below 1 keeps part of the balance out). */
  marginMultiplier: z.number().gt(0).max(10).default(1),
  /** Below this deposit (quote units) the user does not trade. */
  minDeposit: z.number().min(0).default(10),
  /** Equity this far (percent) below the deposit suspends the user's trading. */
  maxDrawdownPercent: z.number().gt(0).max(100).default(50),
  /** How long a fetched balance is trusted. */
  balanceCacheMs: z.number().int().min(0).default(300_000),
});
export type DepositConfig = z.infer<typeof DepositConfig>;

export interface DepositDeps extends ProtectionDeps {
  /** Where balances come from; omitted = only `initialDeposit` or the stored deposit. */
  readonly balances?: Pick<ExchangeAdapter, 'fetchBalance'>;
  readonly quote: string;
}

export type DepositSource = 'config' | 'exchange' | 'cache' | 'stored';

/**
 * The deposit calculator and manager: decides a user's deposit once (from config or
 * from the balance), keeps it in the store, and reads balances through a cache
 * (5 min by default) with a fallback to the last stored deposit when the exchange
 * cannot be reached.
 */
export class DepositManager {
  readonly config: DepositConfig;

  constructor(
    config: z.input<typeof DepositConfig>,
    private readonly deps: DepositDeps,
    key = 'risk.deposit',
  ) {
    this.config = parseConfig(DepositConfig, config, key);
  }

  private get depositKey(): string {
    return stateKey(this.deps, 'deposit', 'value');
  }

  /** The user's total quote balance (free + used): cached, else fetched, else the stored deposit. */
  async balance(): Promise<{ value: number; source: DepositSource }> {
    const cacheKey = stateKey(this.deps, 'deposit', 'balance');
    const raw = await this.deps.store.getValue(cacheKey);
    if (raw !== undefined && Number.isFinite(Number(raw))) return { value: Number(raw), source: 'cache' };
    try {
      if (!this.deps.balances) throw new KairosError('EXCHANGE_UNAVAILABLE', 'no balance source configured');
      const b = (await this.deps.balances.fetchBalance())[this.deps.quote];
      const value = (b?.free ?? 0) + (b?.used ?? 0);
      await this.deps.store.setValue(cacheKey, String(value), this.config.balanceCacheMs);
      return { value, source: 'exchange' };
    } catch (error) {
      const stored = Number(await this.deps.store.getValue(this.depositKey));
      if (Number.isFinite(stored) && stored > 0) {
        this.deps.logger?.warn({ userId: this.deps.userId, error: String(error) }, 'balance unavailable; using the stored deposit');
        return { value: stored, source: 'stored' };
      }
      throw new KairosError('EXCHANGE_UNAVAILABLE', `cannot read the ${this.deps.quote} balance of ${this.deps.userId} and no deposit is stored`, { retryable: true, cause: error });
    }
  }

  /** The tradable deposit: stored if decided before, else decided now and stored. */
  async deposit(): Promise<{ value: number; source: DepositSource }> {
    const stored = Number(await this.deps.store.getValue(this.depositKey));
    if (Number.isFinite(stored) && stored > 0) return { value: stored, source: 'stored' };
    const base = this.config.initialDeposit !== undefined ? { value: this.config.initialDeposit, source: 'config' as const } : await this.balance();
    const value = base.value * this.config.marginMultiplier;
    if (value > 0) await this.deps.store.setValue(this.depositKey, String(value));
    return { value, source: base.source };
  }

  /** Forgets the stored deposit, so the next `deposit()` decides it again (e.g. after a top-up). */
  async reset(): Promise<void> {
    await this.deps.store.deleteValue(this.depositKey);
  }
}
