import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/kairos-error';
import { CommissionScheduleSchema, DEFAULT_COMMISSION_SCHEDULE, commissionRate } from './commission-schedule';

describe('commission tiers (default schedule)', () => {
  it('charges 30 % below 1,000 of deposit', () => {
    expect(commissionRate(0)).toBe(0.3);
    expect(commissionRate(500)).toBe(0.3);
    expect(commissionRate(999.99), 'just under the first boundary stays in the lowest tier').toBe(0.3);
  });

  it('puts exactly 1,000 in the 25 % tier (the lower boundary is inclusive)', () => {
    expect(commissionRate(1_000)).toBe(0.25);
    expect(commissionRate(1_000.01)).toBe(0.25);
  });

  it('keeps exactly 5,000 in the 25 % tier and charges 20 % only above it', () => {
    expect(commissionRate(4_999.99)).toBe(0.25);
    expect(commissionRate(5_000), 'the 20 % tier starts strictly above 5,000').toBe(0.25);
    expect(commissionRate(5_000.01)).toBe(0.2);
    expect(commissionRate(1_000_000)).toBe(0.2);
  });

  it('rejects a negative or non-finite deposit with a ConfigError naming the deposit', () => {
    expect(() => commissionRate(-1)).toThrow(ConfigError);
    expect(() => commissionRate(Number.NaN)).toThrow(/deposit/);
  });

  it('accepts a custom schedule and validates it', () => {
    const custom = [
      { from: 0, inclusive: true, rate: 0.5 },
      { from: 100, inclusive: false, rate: 0.1 },
    ];
    expect(CommissionScheduleSchema.safeParse(custom).success).toBe(true);
    expect(commissionRate(100, custom)).toBe(0.5);
    expect(commissionRate(100.5, custom)).toBe(0.1);
    expect(CommissionScheduleSchema.safeParse(DEFAULT_COMMISSION_SCHEDULE).success).toBe(true);
    expect(CommissionScheduleSchema.safeParse([{ from: 10, inclusive: true, rate: 0.2 }]).success, 'must start at 0').toBe(false);
    expect(
      CommissionScheduleSchema.safeParse([
        { from: 0, inclusive: true, rate: 0.2 },
        { from: 500, inclusive: true, rate: 0.2 },
        { from: 400, inclusive: true, rate: 0.2 },
      ]).success,
      'out of order',
    ).toBe(false);
    expect(CommissionScheduleSchema.safeParse([{ from: 0, inclusive: true, rate: 1.5 }]).success, 'rate above 1').toBe(false);
  });
});
