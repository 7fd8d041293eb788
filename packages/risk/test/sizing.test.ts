import { describe, expect, it } from 'vitest';
import { FixedFractionSizing } from '../src/sizing/fixed-fraction-sizing';
import { FixedRiskSizing } from '../src/sizing/fixed-risk-sizing';
import { VolatilityTargetSizing } from '../src/sizing/volatility-target-sizing';
import { KellySizing } from '../src/sizing/kelly-sizing';
import { MarketMemory } from '../src/market/market-memory';
import { fitToMarket } from '../src/sizing/fit-to-market';
import { HOUR, candle, ctx, entry, exit, market, trade } from './support/fixtures';

function warmMemory(symbol: string, range: number, n = 30): MarketMemory {
  const m = new MarketMemory({ atrPeriod: 14 });
  for (let i = 0; i < n; i++) m.onCandle(candle(symbol, i * HOUR, 100, range));
  return m;
}

describe('fitToMarket', () => {
  it('rounds down to the step and refuses sizes under the minimums', () => {
    expect(fitToMarket(0.123456, 100, market())).toEqual({ ok: true, amount: 0.1234 });
    const small = fitToMarket(0.05, 100, market());
    expect(small.ok, 'value 5 < minNotional 10').toBe(false);
    if (!small.ok) expect(small.reason).toMatch(/minimum notional 10/);
    const tiny = fitToMarket(0.00005, 100, market());
    expect(tiny.ok).toBe(false);
    if (!tiny.ok) expect(tiny.reason).toMatch(/minimum amount/);
    expect(fitToMarket(5, 100, market({ maxAmount: 2 })), 'capped at maxAmount').toEqual({ ok: true, amount: 2 });
  });
});

describe('FixedFractionSizing', () => {
  it('commits the fraction of equity, capped by free cash', () => {
    const s = new FixedFractionSizing({ fraction: 0.1 });
    const d = s.evaluate(entry('BTC/USDT', 100), ctx());
    expect(d.verdict === 'approve' && d.proposal.amount).toBe(10);
    const capped = s.evaluate(entry('BTC/USDT', 100), ctx({ freeQuote: 500 }));
    expect(capped.verdict === 'approve' && capped.proposal.amount, 'free cash × (1 − fee buffer)').toBeCloseTo(4.975, 6);
  });
  it('rejects, never sends, an order too small after rounding', () => {
    const d = new FixedFractionSizing({ fraction: 0.001 }).evaluate(entry('BTC/USDT', 100), ctx({ equity: 5000 }));
    expect(d.verdict).toBe('reject');
    if (d.verdict === 'reject') expect(d.policyId).toBe('fixed-fraction');
  });
  it('passes exits unchanged', () => {
    const p = exit();
    const d = new FixedFractionSizing().evaluate(p, ctx());
    expect(d.verdict === 'approve' && d.proposal).toBe(p);
  });
});

describe('FixedRiskSizing', () => {
  it('loses riskPerTrade of equity at a percent stop', () => {
    const s = new FixedRiskSizing({ riskPerTrade: 0.01, stop: { percent: 5 }, maxFraction: 1 }, new MarketMemory());
    const d = s.evaluate(entry('BTC/USDT', 100), ctx());
    // 1% of 10000 = 100 lost over a 5-unit stop → 20 units (2000 notional).
    expect(d.verdict === 'approve' && d.proposal.amount).toBe(20);
  });
  it('uses ATR multiples once ATR is warm, and caps at maxFraction', () => {
    const mem = warmMemory('BTC/USDT', 2);
    const atr = mem.atr('BTC/USDT');
    expect(atr, 'ATR of constant 2-wide candles').toBeCloseTo(2, 9);
    const s = new FixedRiskSizing({ riskPerTrade: 0.01, stop: { atrMultiple: 2 }, maxFraction: 1 }, mem);
    const d = s.evaluate(entry('BTC/USDT', 100), ctx());
    expect(d.verdict === 'approve' && d.proposal.amount).toBe(25);
    const capped = new FixedRiskSizing({ riskPerTrade: 0.01, stop: { atrMultiple: 2 }, maxFraction: 0.1 }, mem).evaluate(entry('BTC/USDT', 100), ctx());
    expect(capped.verdict === 'approve' && capped.proposal.amount).toBe(10);
  });
  it('rejects with a reason when the stop distance is unknown', () => {
    const d = new FixedRiskSizing({ stop: { atrMultiple: 2 } }, new MarketMemory()).evaluate(entry(), ctx());
    expect(d.verdict === 'reject' && d.reason).toMatch(/stop distance unknown/);
  });
});

describe('VolatilityTargetSizing', () => {
  it('sizes inversely to ATR volatility', () => {
    const calm = new VolatilityTargetSizing({ targetVolatility: 0.002, maxFraction: 1 }, warmMemory('BTC/USDT', 1));
    const wild = new VolatilityTargetSizing({ targetVolatility: 0.002, maxFraction: 1 }, warmMemory('BTC/USDT', 4));
    const a = calm.evaluate(entry(), ctx());
    const b = wild.evaluate(entry(), ctx());
    // calm: vol 1% → 20 / 0.01 = 2000 → 20 units; wild: vol 4% → 5 units.
    expect(a.verdict === 'approve' && a.proposal.amount).toBe(20);
    expect(b.verdict === 'approve' && b.proposal.amount).toBe(5);
  });
  it('supports the stdev measure', () => {
    const mem = new MarketMemory();
    for (let i = 0; i < 40; i++) mem.onCandle(candle('BTC/USDT', i * HOUR, i % 2 === 0 ? 100 : 101));
    const s = new VolatilityTargetSizing({ measure: 'stdev', window: 20, targetVolatility: 0.001, maxFraction: 1 }, mem);
    const d = s.evaluate(entry(), ctx());
    const sd = mem.returnStdev('BTC/USDT', 20);
    expect(sd).toBeGreaterThan(0.009);
    expect(d.verdict === 'approve' && d.proposal.amount).toBeCloseTo(Math.floor((10 / sd / 100) * 1e4) / 1e4, 6);
  });
});

describe('KellySizing', () => {
  it('uses the fallback until enough trades, then fractional Kelly with a cap', () => {
    const k = new KellySizing({ minTrades: 4, kellyFraction: 0.5, cap: 0.5, fallbackFraction: 0.05 });
    const first = k.evaluate(entry(), ctx());
    expect(first.verdict === 'approve' && first.proposal.amount).toBe(5);
    // W = 0.5, R = 2 → f* = 0.5 − 0.5/2 = 0.25; half Kelly = 12.5% of equity.
    for (const pnl of [2, -1, 2, -1]) k.onTradeClosed(trade('BTC/USDT', 0, pnl));
    expect(k.kelly()).toBeCloseTo(0.25, 12);
    const d = k.evaluate(entry(), ctx());
    expect(d.verdict === 'approve' && d.proposal.amount).toBe(12.5);
  });
  it('refuses entries when there is no edge', () => {
    const k = new KellySizing({ minTrades: 2 });
    for (const pnl of [1, -2, 1, -2]) k.onTradeClosed(trade('BTC/USDT', 0, pnl));
    const d = k.evaluate(entry(), ctx());
    expect(d.verdict === 'reject' && d.reason).toMatch(/no edge/);
  });
});
