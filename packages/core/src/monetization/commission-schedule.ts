import { z } from 'zod';
import { ConfigError } from '../errors/kairos-error';

/**
 * One step of the commission schedule: the rate that applies from a deposit level up
 * to the next step.
 */
export interface CommissionTier {
  /** Lowest deposit (quote units) of this tier. */
  readonly from: number;
  /**
   * Whether a deposit of exactly `from` belongs to this tier (true) or still to the one
   * below (false). This is what decides which side a boundary falls on.
   */
  readonly inclusive: boolean;
  /** Share of the chargeable profit taken as commission, 0–1. */
  readonly rate: number;
}

/** Tiers ordered by `from`, the first starting at 0 inclusive. */
export type CommissionSchedule = readonly CommissionTier[];

/**
 * The operator's default schedule, by the user's deposit:
 * - below 1,000: 30 %
 * - from 1,000 (inclusive) to 5,000 (inclusive): 25 %
 * - above 5,000 (exclusive): 20 %
 *
 * So a deposit of exactly 1,000 pays 25 %, exactly 5,000 still pays 25 %, and
 * 5,000.01 pays 20 %.
 */
export const DEFAULT_COMMISSION_SCHEDULE: CommissionSchedule = Object.freeze([
  Object.freeze({ from: 0, inclusive: true, rate: 0.3 }),
  Object.freeze({ from: 1_000, inclusive: true, rate: 0.25 }),
  Object.freeze({ from: 5_000, inclusive: false, rate: 0.2 }),
]);

const TierSchema = z.object({
  from: z.number().min(0),
  inclusive: z.boolean(),
  rate: z.number().min(0).max(1),
});

/** Validates a schedule from configuration; errors name the offending tier. */
export const CommissionScheduleSchema = z
  .array(TierSchema)
  .min(1)
  .superRefine((tiers, ctx) => {
    const first = tiers[0];
    if (first && (first.from !== 0 || !first.inclusive)) {
      ctx.addIssue({ code: 'custom', path: [0, 'from'], message: 'the first tier must start at 0 inclusive so every deposit has a rate' });
    }
    for (let i = 1; i < tiers.length; i += 1) {
      const prev = tiers[i - 1] as CommissionTier;
      const cur = tiers[i] as CommissionTier;
      if (cur.from < prev.from || (cur.from === prev.from && !(prev.inclusive && !cur.inclusive))) {
        ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'tiers must be in increasing order of deposit' });
      }
    }
  });

/** The tier that applies to `deposit` (quote units, >= 0). */
export function commissionTier(deposit: number, schedule: CommissionSchedule = DEFAULT_COMMISSION_SCHEDULE): CommissionTier {
  if (!Number.isFinite(deposit) || deposit < 0) throw new ConfigError('deposit', `expected a finite amount >= 0, got ${deposit}`);
  let chosen: CommissionTier | undefined;
  for (const tier of schedule) {
    const reached = tier.inclusive ? deposit >= tier.from : deposit > tier.from;
    if (reached) chosen = tier;
  }
  if (!chosen) throw new ConfigError('commission.tiers', `no tier covers a deposit of ${deposit}`);
  return chosen;
}

/** The commission rate (0–1) for a deposit. */
export function commissionRate(deposit: number, schedule: CommissionSchedule = DEFAULT_COMMISSION_SCHEDULE): number {
  return commissionTier(deposit, schedule).rate;
}
