import { type Market, MemoryTradeStore, type Position, type RiskContext } from '@kairos/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRiskPolicy } from '../src/create-risk-policy';
import type { MaxDrawdown } from '../src/protections/max-drawdown';
import { HOUR, market } from './support/fixtures';

const MARKETS: Market[] = [
  market({ symbol: 'BTC/USDT', base: 'BTC', amountStep: 0.00001, minAmount: 0.00001, minNotional: 5 }),
  market({ symbol: 'ETH/USDT', base: 'ETH', amountStep: 0.0001, minAmount: 0.001, minNotional: 10 }),
  market({ symbol: 'DOGE/USDT', base: 'DOGE', amountStep: 1, minAmount: 10, minNotional: 1 }),
];
const START_PRICE = [30_000, 2_000, 0.1];
const CAPS = { maxTotalExposure: 0.6, maxSymbolExposure: 0.3, maxOpenPositions: 2, maxPositionSize: 2500 };

type Cmd = { kind: 'price'; sym: number; ret: number } | { kind: 'buy'; sym: number } | { kind: 'sell'; sym: number };
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('price' as const), sym: fc.nat(2), ret: fc.double({ min: -0.12, max: 0.12, noNaN: true }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('buy' as const), sym: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sell' as const), sym: fc.nat(2) }) },
);

/** A tiny spot account that fills every approved order at once at the current price, 0.1% fee. */
function simulate(cmds: Cmd[], balance: number) {
  const policy = createRiskPolicy(
    { sizing: { method: 'fixed-fraction' }, fraction: 0.35, limits: CAPS, protections: { maxDrawdown: { reduceAt: 0.03, haltAt: 0.06, stopDurationMinutes: 600 } }, correlation: { window: 20, clusterCap: 0.4 } },
    { store: new MemoryTradeStore(), userId: 'p' },
  );
  const md = policy.find<MaxDrawdown>('max-drawdown') as MaxDrawdown;
  const prices = [...START_PRICE];
  const positions = new Map<string, Position>();
  let cash = balance;
  let now = 0;
  const equity = () => cash + [...positions.values()].reduce((s, p) => s + p.amount * p.lastPrice, 0);
  const ctxFor = (m: Market): RiskContext => ({ now, market: m, freeQuote: cash, equity: equity(), positions: new Map(positions), openOrders: new Map() });
  const violations: string[] = [];
  let haltedBuys = 0;
  let approvals = 0;
  const sell = (sym: string, amount: number, reason: string) => {
    const p = positions.get(sym) as Position;
    const m = MARKETS.find((x) => x.symbol === sym) as Market;
    const price = p.lastPrice;
    if (amount < m.minAmount || amount * price < m.minNotional) violations.push(`exit below minimum: ${amount} ${sym}`);
    cash += amount * price * 0.999;
    const rest = p.amount - amount;
    if (rest < m.minAmount) {
      positions.delete(sym);
      const pnlPct = ((price * 0.999) / (p.avgEntryPrice * 1.001) - 1) * 100;
      policy.onTradeClosed({ id: `${sym}${now}`, userId: 'p', symbol: sym, side: 'long', strategyId: 's', entryTime: p.openedAt, entryPrice: p.avgEntryPrice, exitTime: now, exitPrice: price, amount: p.amount, pnl: 0, pnlPct, fees: 0, exitReason: reason });
      cash += rest * price;
    } else positions.set(sym, { ...p, amount: rest });
  };
  for (let i = 0; i < 30; i++) {
    now = i * HOUR;
    MARKETS.forEach((m, k) => policy.onCandle({ symbol: m.symbol, timeframe: '1h', candle: { time: now, open: prices[k]!, high: prices[k]! * 1.005, low: prices[k]! * 0.995, close: prices[k]!, volume: 1 } }));
  }
  for (const c of cmds) {
    const m = MARKETS[c.sym] as Market;
    if (c.kind === 'price') {
      now += HOUR;
      const old = prices[c.sym] as number;
      const next = Math.max(1e-6, old * (1 + c.ret));
      prices[c.sym] = next;
      policy.onCandle({ symbol: m.symbol, timeframe: '1h', candle: { time: now, open: old, high: Math.max(old, next), low: Math.min(old, next), close: next, volume: 1 } });
      const p = positions.get(m.symbol);
      if (p) positions.set(m.symbol, { ...p, lastPrice: next });
      policy.onEquity({ time: now, equity: equity(), cash });
      for (const pos of [...positions.values()]) {
        const mk = MARKETS.find((x) => x.symbol === pos.symbol) as Market;
        const ex = policy.exits(pos, ctxFor(mk))[0];
        if (ex) sell(pos.symbol, ex.amount, ex.reason);
      }
    } else if (c.kind === 'buy') {
      const halted = md.state === 'HALTED';
      if (halted) haltedBuys += 1;
      const ctx = ctxFor(m);
      const price = prices[c.sym] as number;
      const d = policy.evaluate({ userId: 'p', symbol: m.symbol, side: 'buy', purpose: 'entry', type: 'market', price, reason: 'random' }, ctx);
      if (d.verdict === 'reject') continue;
      approvals += 1;
      if (halted) violations.push('entry approved while HALTED');
      const a = d.proposal.amount ?? 0;
      if (a < m.minAmount || a * price < m.minNotional) violations.push(`entry below minimum: ${a} ${m.symbol}`);
      if (Math.abs(a / m.amountStep - Math.round(a / m.amountStep)) > 1e-6) violations.push(`entry off step: ${a}`);
      const cost = a * price * 1.001;
      if (cost > cash + 1e-9) violations.push(`entry beyond cash: ${cost} > ${cash}`);
      cash -= cost;
      positions.set(m.symbol, { symbol: m.symbol, amount: a, avgEntryPrice: price, costBasis: cost, realizedPnl: 0, fees: 0, openedAt: now, lastPrice: price, unrealizedPnl: 0 });
      const total = [...positions.values()].reduce((s, p) => s + p.amount * p.lastPrice, 0);
      const eq = ctx.equity + 1e-9;
      if (total > CAPS.maxTotalExposure * eq) violations.push(`total exposure ${total} > ${CAPS.maxTotalExposure} × ${eq}`);
      if (a * price > CAPS.maxSymbolExposure * eq) violations.push(`symbol exposure ${a * price} > cap`);
      if (a * price > CAPS.maxPositionSize + 1e-9) violations.push(`position size ${a * price} > ${CAPS.maxPositionSize}`);
      if (positions.size > CAPS.maxOpenPositions) violations.push(`${positions.size} positions`);
    } else if (positions.has(m.symbol)) {
      const p = positions.get(m.symbol) as Position;
      const amount = Math.floor(p.amount / m.amountStep + 1e-9) * m.amountStep;
      const d = policy.evaluate({ userId: 'p', symbol: m.symbol, side: 'sell', purpose: 'exit', type: 'market', price: p.lastPrice, amount, reason: 'signal' }, ctxFor(m));
      if (d.verdict === 'reject') violations.push('exit rejected');
      else if (amount >= m.minAmount && amount * p.lastPrice >= m.minNotional) sell(m.symbol, amount, 'signal');
    }
  }
  return { violations, haltedBuys, approvals };
}

describe('risk properties under random signals, fills and prices', () => {
  it('exposure never passes a cap, no order below the market minimum, no entry while HALTED', () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 5, maxLength: 120 }), fc.constantFrom(40, 500, 10_000, 250_000), (cmds, balance) => {
        const r = simulate(cmds, balance);
        expect(r.violations).toEqual([]);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });

  it('random runs do try entries while HALTED (so the HALTED property is exercised)', () => {
    let halted = 0;
    let approvals = 0;
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 40, maxLength: 120 }), (cmds) => {
        const r = simulate(cmds, 10_000);
        halted += r.haltedBuys;
        approvals += r.approvals;
      }),
      { numRuns: 60, seed: 7 },
    );
    expect(halted).toBeGreaterThan(0);
    expect(approvals, 'and entries are approved otherwise').toBeGreaterThan(100);
  });
});
