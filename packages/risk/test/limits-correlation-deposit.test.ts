import { type Balances, KairosError, MemoryTradeStore } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { CorrelationCap } from '../src/correlation/correlation-cap';
import { pearson } from '../src/correlation/pearson';
import { DepositManager } from '../src/deposit/deposit-manager';
import { DepositRules } from '../src/deposit/deposit-rules';
import { ExposureLimits } from '../src/limits/exposure-limits';
import { OrderRateLimit } from '../src/limits/order-rate-limit';
import { MarketMemory } from '../src/market/market-memory';
import { HOUR, candle, ctx, entry, exit, position } from './support/fixtures';

describe('ExposureLimits', () => {
  it('rejects a second position in a held symbol unless allowed', () => {
    const l = new ExposureLimits({});
    const c = ctx({ positions: [position('BTC/USDT', 1, 100)] });
    const d = l.evaluate(entry('BTC/USDT', 100, 1), c);
    expect(d.verdict === 'reject' && d.reason).toMatch(/already held/);
    expect(new ExposureLimits({ allowSecondPosition: true }).evaluate(entry('BTC/USDT', 100, 1), c).verdict).toBe('approve');
  });
  it('caps the number of open positions', () => {
    const l = new ExposureLimits({ maxOpenPositions: 2 });
    const c = ctx({ positions: [position('A/USDT', 1, 100), position('B/USDT', 1, 100)] });
    expect(l.evaluate(entry('C/USDT', 100, 1), c).verdict).toBe('reject');
  });
  it('shrinks an entry to the tightest value cap, and explains it', () => {
    const l = new ExposureLimits({ maxTotalExposure: 0.5, maxSymbolExposure: 0.3, maxPositionSize: 2500 });
    const c = ctx({ positions: [position('A/USDT', 30, 100)] }); // 3000 held of 10000
    const d = l.evaluate(entry('BTC/USDT', 100, 40), c);
    expect(d.verdict === 'approve' && d.proposal.amount, 'total room 2000 is the tightest').toBe(20);
    expect(d.notes[0]?.action).toBe('resized');
    expect(d.notes[0]?.reason).toMatch(/total cap 50.0%/);
  });
  it('counts approved entries still pending at the venue', () => {
    const l = new ExposureLimits({ maxTotalExposure: 0.5, maxSymbolExposure: 1 });
    const c = ctx({ openOrders: new Map([['A/USDT', 1]]) });
    const first = l.evaluate(entry('A/USDT', 100, 40), c);
    expect(first.verdict).toBe('approve');
    if (first.verdict === 'approve') l.onApproved(first.proposal);
    const second = l.evaluate(entry('B/USDT', 100, 40), c);
    expect(second.verdict === 'approve' && second.proposal.amount, '4000 pending → 1000 room').toBe(10);
  });
});

describe('OrderRateLimit', () => {
  it('limits orders per rolling minute and entries per UTC day; exits pass', () => {
    const r = new OrderRateLimit({ maxOrdersPerMinute: 2, maxDailyTrades: 3 });
    const approveAt = (now: number) => {
      const c = ctx({ now });
      const d = r.evaluate(entry(), c);
      if (d.verdict === 'approve') r.onApproved(d.proposal, c);
      return d.verdict;
    };
    expect([approveAt(0), approveAt(1000), approveAt(2000)]).toEqual(['approve', 'approve', 'reject']);
    expect(r.evaluate(exit(), ctx({ now: 2000 })).verdict, 'exits are never delayed').toBe('approve');
    expect(approveAt(61_000)).toBe('approve');
    expect(approveAt(200_000), '4th entry of the day').toBe('reject');
    expect(approveAt(86_400_000), 'a new UTC day').toBe('approve');
  });
});

describe('CorrelationCap', () => {
  function feed(mem: MarketMemory, symbol: string, closes: number[]) {
    closes.forEach((c, i) => mem.onCandle(candle(symbol, i * HOUR, c)));
  }
  const wave = Array.from({ length: 60 }, (_, i) => 100 + 5 * Math.sin(i / 3) + i * 0.1);
  const noise = Array.from({ length: 60 }, (_, i) => 100 + ((i * 7919) % 13) - 6);

  it('pearson is 1 for proportional series and NaN without overlap', () => {
    const a = new Map([[1, 0.1], [2, 0.2], [3, -0.1]]);
    const b = new Map([[1, 0.2], [2, 0.4], [3, -0.2]]);
    expect(pearson(a, b, 3)).toBeCloseTo(1, 12);
    expect(pearson(a, new Map([[9, 1]]), 1)).toBeNaN();
  });

  it('shrinks an entry correlated with held positions to the cluster cap; uncorrelated passes', () => {
    const mem = new MarketMemory();
    feed(mem, 'ETH/USDT', wave);
    feed(mem, 'BTC/USDT', wave.map((x) => x * 2));
    feed(mem, 'DOGE/USDT', noise);
    const cap = new CorrelationCap({ window: 50, maxCorrelation: 0.7, clusterCap: 0.3 }, mem);
    expect(cap.correlations('BTC/USDT', ['ETH/USDT']).get('ETH/USDT')).toBeGreaterThan(0.99);
    const c = ctx({ positions: [position('ETH/USDT', 20, 100)] }); // 2000 in the cluster
    const d = cap.evaluate(entry('BTC/USDT', 200, 10), c);
    expect(d.verdict === 'approve' && d.proposal.amount, 'room 1000 / 200').toBe(5);
    expect(d.notes[0]?.reason).toMatch(/ETH\/USDT \(ρ=/);
    const free = cap.evaluate(entry('DOGE/USDT', 100, 30), c);
    expect(free.verdict === 'approve' && free.proposal.amount, 'uncorrelated: unchanged').toBe(30);
    const strict = new CorrelationCap({ window: 50, clusterCap: 0.3, action: 'reject' }, mem).evaluate(entry('BTC/USDT', 200, 10), c);
    expect(strict.verdict).toBe('reject');
  });
});

describe('Deposit rules', () => {
  const balances = (usdt: number) => ({ fetchBalance: async (): Promise<Balances> => ({ USDT: { currency: 'USDT', free: usdt, used: 0, total: usdt } }) });
  const failing = { fetchBalance: async (): Promise<Balances> => { throw new KairosError('EXCHANGE_UNAVAILABLE', 'down', { retryable: true }); } };

  it('takes the deposit from the balance × multiplier once, and stores it', async () => {
    const store = new MemoryTradeStore();
    const base = { store, userId: 'u1', clock: { now: () => 0 }, quote: 'USDT' };
    const m = new DepositManager({ marginMultiplier: 0.5 }, { ...base, balances: balances(1000) });
    expect(await m.deposit()).toEqual({ value: 500, source: 'exchange' });
    const later = new DepositManager({ marginMultiplier: 0.5 }, { ...base, balances: failing });
    expect(await later.deposit(), 'the stored deposit survives the exchange being down').toEqual({ value: 500, source: 'stored' });
  });

  it('caches balances for balanceCacheMs and falls back to the stored deposit', async () => {
    let now = 0;
    let calls = 0;
    const store = new MemoryTradeStore({ now: () => now });
    const src = { fetchBalance: async (): Promise<Balances> => { calls += 1; return { USDT: { currency: 'USDT', free: 800, used: 200, total: 1000 } }; } };
    const base = { store, userId: 'u1', clock: { now: () => now }, quote: 'USDT' };
    const m = new DepositManager({ balanceCacheMs: 300_000 }, { ...base, balances: src });
    expect(await m.balance()).toEqual({ value: 1000, source: 'exchange' });
    now = 299_999;
    expect(await m.balance()).toEqual({ value: 1000, source: 'cache' });
    now = 300_000;
    await m.balance();
    expect(calls, 'refetched after 5 min').toBe(2);
    const down = new DepositManager({}, { ...base, balances: failing });
    await expect(down.balance(), 'the cache answers while the exchange is down').resolves.toEqual({ value: 1000, source: 'cache' });
    now = 10_000_000;
    await expect(down.balance(), 'no cache and no stored deposit').rejects.toMatchObject({ code: 'EXCHANGE_UNAVAILABLE', retryable: true });
    await m.deposit();
    now = 20_000_000;
    expect(await down.balance(), 'cache expired: the last stored deposit').toEqual({ value: 1000, source: 'stored' });
  });

  it('rejects below the minimum deposit, caps exposure at the deposit, suspends on drawdown (persisted)', async () => {
    const store = new MemoryTradeStore();
    const d = { store, userId: 'u1', clock: { now: () => 0 }, quote: 'USDT' };
    const small = new DepositRules(new DepositManager({ initialDeposit: 5, minDeposit: 10 }, d), d);
    expect(small.evaluate(entry('BTC/USDT', 100, 1), ctx()).verdict).toBe('reject');
    const rules = new DepositRules(new DepositManager({ initialDeposit: 1000, maxDrawdownPercent: 20 }, d), d);
    await rules.start();
    const c = ctx({ positions: [position('ETH/USDT', 6, 100)] });
    const r = rules.evaluate(entry('BTC/USDT', 100, 10), c);
    expect(r.verdict === 'approve' && r.proposal.amount, 'deposit 1000 − 600 held').toBe(4);
    rules.onEquity({ time: 5, equity: 790 });
    expect(rules.suspended).toBe(true);
    expect(rules.evaluate(entry('BTC/USDT', 100, 1), ctx()).verdict).toBe('reject');
    expect(rules.evaluate(exit('BTC/USDT'), ctx()).verdict).toBe('approve');
    await rules.flush();
    const again = new DepositRules(new DepositManager({ initialDeposit: 1000 }, d), d);
    await again.start();
    expect(again.suspended, 'suspension survives a restart').toBe(true);
    again.resume(10);
    expect(again.evaluate(entry('BTC/USDT', 100, 1), ctx()).verdict).toBe('approve');
  });
});
