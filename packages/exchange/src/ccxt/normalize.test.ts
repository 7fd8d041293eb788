import { describe, expect, it } from 'vitest';
import { toOrder } from './normalize';

const raw = (over: Record<string, unknown>) => ({ id: 'v1', clientOrderId: 'c1', symbol: 'X/USDT', side: 'sell', type: 'market', status: 'open', amount: 0.3, filled: 0, ...over });

describe('toOrder at the adapter edge', () => {
  it('turns amounts on the market step up to float noise into the exact multiple', () => {
    const o = toOrder('venue', raw({ amount: 0.30000000000000004, filled: 0.19999999999999998 }), { symbol: 'X/USDT', now: 0, amountStep: 0.1 });
    expect(o.amount).toBe(0.3);
    expect(o.filled).toBe(0.2);
    expect(o.status).toBe('partially_filled');
  });

  it('calls a closed order filled when its filled steps reach the amount, and canceled when a step is missing', () => {
    const big = toOrder('venue', raw({ status: 'closed', amount: 588062.3, filled: 457425.6 + 130636.7 }), { symbol: 'X/USDT', now: 0, amountStep: 0.1 });
    expect(big.filled).toBe(588062.3);
    expect(big.status).toBe('filled');
    const short = toOrder('venue', raw({ status: 'closed', amount: 588062.3, filled: 588062.2 }), { symbol: 'X/USDT', now: 0, amountStep: 0.1 });
    expect(short.status).toBe('canceled');
  });

  it('keeps an amount off the step as the venue reported it', () => {
    const o = toOrder('venue', raw({ amount: 0.3, filled: 0.123456 }), { symbol: 'X/USDT', now: 0, amountStep: 0.1 });
    expect(o.filled).toBe(0.123456);
  });
});
