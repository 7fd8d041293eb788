import { MemoryTradeStore } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { CooldownPeriod } from '../src/protections/cooldown-period';
import { DailyLossLimit } from '../src/protections/daily-loss-limit';
import { KillSwitch } from '../src/protections/kill-switch';
import { LowProfitPairs } from '../src/protections/low-profit-pairs';
import { MaxDrawdown } from '../src/protections/max-drawdown';
import { StoplossGuard } from '../src/protections/stoploss-guard';
import { HOUR, MIN, ctx, entry, exit, position, trade } from './support/fixtures';

function deps(store = new MemoryTradeStore(), now = 0) {
  return { store, userId: 'u1', clock: { now: () => now } };
}
const verdict = (p: { evaluate: (...a: never[]) => unknown }, symbol: string, now: number) =>
  (p.evaluate as (a: unknown, b: unknown) => { verdict: string; policyId?: string; reason?: string })(entry(symbol), ctx({ now }));

describe('StoplossGuard (freqtrade semantics)', () => {
  it('locks all pairs when stop-outs reach the limit (count ≥ limit), until the last close + duration', () => {
    const g = new StoplossGuard({ lookbackMinutes: 60, tradeLimit: 3, stopDurationMinutes: 30 }, deps());
    g.onTradeClosed(trade('A/USDT', 10 * MIN, -1));
    g.onTradeClosed(trade('B/USDT', 20 * MIN, -1));
    expect(verdict(g, 'C/USDT', 21 * MIN).verdict, 'two stop-outs < limit 3').toBe('approve');
    g.onTradeClosed(trade('A/USDT', 40 * MIN, -2));
    const d = verdict(g, 'C/USDT', 41 * MIN);
    expect(d.verdict, 'three ≥ limit').toBe('reject');
    expect(d.policyId).toBe('stoploss-guard');
    expect(g.locks.list(41 * MIN)[0]?.until, 'last qualifying close (40) + 30 min').toBe(70 * MIN);
    expect(verdict(g, 'C/USDT', 69 * MIN).verdict).toBe('reject');
    expect(verdict(g, 'C/USDT', 70 * MIN).verdict, 'lock ends at 70 min').toBe('approve');
  });

  it('counts only stop exits at a loss inside the lookback', () => {
    const g = new StoplossGuard({ lookbackMinutes: 60, tradeLimit: 2, stopDurationMinutes: 30 }, deps());
    g.onTradeClosed(trade('A/USDT', 0, -1));
    g.onTradeClosed(trade('A/USDT', 5 * MIN, 2, 'trailing-stop: in profit'));
    g.onTradeClosed(trade('A/USDT', 6 * MIN, -1, 'ma cross down'));
    g.onTradeClosed(trade('A/USDT', 70 * MIN, -1));
    expect(g.locks.list(70 * MIN), 'the first stop-out is outside the 60 min lookback').toEqual([]);
    g.onTradeClosed(trade('A/USDT', 80 * MIN, -1, 'trailing-stop: at a loss'));
    expect(g.locks.list(80 * MIN)).toHaveLength(1);
  });

  it('onlyPerPair locks only that pair', () => {
    const g = new StoplossGuard({ tradeLimit: 2, onlyPerPair: true }, deps());
    g.onTradeClosed(trade('A/USDT', 0, -1));
    g.onTradeClosed(trade('B/USDT', MIN, -1));
    expect(g.locks.list(MIN), 'one stop-out per pair').toEqual([]);
    g.onTradeClosed(trade('A/USDT', 2 * MIN, -1));
    expect(verdict(g, 'A/USDT', 3 * MIN).verdict).toBe('reject');
    expect(verdict(g, 'B/USDT', 3 * MIN).verdict).toBe('approve');
  });

  it('never blocks exits', () => {
    const g = new StoplossGuard({ tradeLimit: 1 }, deps());
    g.onTradeClosed(trade('A/USDT', 0, -1));
    expect(g.evaluate(exit('A/USDT'), ctx({ now: MIN })).verdict).toBe('approve');
  });
});

describe('CooldownPeriod and LowProfitPairs', () => {
  it('cooldown locks the pair from its exit for the duration', () => {
    const c = new CooldownPeriod({ stopDurationMinutes: 60 }, deps());
    c.onTradeClosed(trade('A/USDT', HOUR, 3, 'signal'));
    expect(verdict(c, 'A/USDT', HOUR + 59 * MIN).verdict).toBe('reject');
    expect(verdict(c, 'B/USDT', HOUR + MIN).verdict).toBe('approve');
    expect(verdict(c, 'A/USDT', 2 * HOUR).verdict).toBe('approve');
  });

  it('low-profit pairs: ≥ limit trades with summed profit below required → lock until last close + duration', () => {
    const l = new LowProfitPairs({ lookbackMinutes: 600, tradeLimit: 2, requiredProfit: 0.0, stopDurationMinutes: 60 }, deps());
    l.onTradeClosed(trade('A/USDT', HOUR, -1, 'signal'));
    expect(l.locks.list(HOUR), 'one trade < limit').toEqual([]);
    l.onTradeClosed(trade('A/USDT', 2 * HOUR, 0.5, 'signal'));
    const lock = l.locks.list(2 * HOUR)[0];
    expect(lock?.symbol).toBe('A/USDT');
    expect(lock?.until).toBe(3 * HOUR);
    l.onTradeClosed(trade('B/USDT', 2 * HOUR, 1, 'x'));
    l.onTradeClosed(trade('B/USDT', 3 * HOUR, 1, 'x'));
    expect(verdict(l, 'B/USDT', 3 * HOUR).verdict, 'profitable pair stays open').toBe('approve');
  });
});

describe('MaxDrawdown on equity', () => {
  it('goes NORMAL → REDUCING → HALTED on equity drawdown, blocks entries, passes exits', () => {
    const m = new MaxDrawdown({ reduceAt: 0.1, haltAt: 0.2, stopDurationMinutes: 60 }, deps());
    m.onEquity({ time: 0, equity: 1000 });
    m.onEquity({ time: HOUR, equity: 1200 });
    m.onEquity({ time: 2 * HOUR, equity: 1090 });
    expect(m.state, '9.2% below 1200').toBe('NORMAL');
    m.onEquity({ time: 3 * HOUR, equity: 1070 });
    expect(m.state).toBe('REDUCING');
    expect(verdict(m, 'A/USDT', 3 * HOUR).verdict).toBe('reject');
    expect(m.evaluate(exit('A/USDT')).verdict, 'exits only').toBe('approve');
    m.onEquity({ time: 4 * HOUR, equity: 950 });
    expect(m.state).toBe('HALTED');
    expect(verdict(m, 'A/USDT', 4 * HOUR).reason).toMatch(/HALTED.*20\.83% below the peak 1200/);
  });

  it('uses equity, not summed trade returns: an open loss alone trips it', () => {
    const m = new MaxDrawdown({ reduceAt: 0.05, haltAt: 0.5 }, deps());
    m.onEquity({ time: 0, equity: 1000 });
    m.onEquity({ time: HOUR, equity: 940 });
    expect(m.state).toBe('REDUCING');
  });

  it('holds a state for the stop duration, then resumes from a fresh peak', () => {
    const m = new MaxDrawdown({ reduceAt: 0.1, haltAt: 0.3, stopDurationMinutes: 120 }, deps());
    m.onEquity({ time: 0, equity: 1000 });
    m.onEquity({ time: HOUR, equity: 850 });
    m.onEquity({ time: 2 * HOUR, equity: 1000 });
    expect(m.state, 'recovered but still inside the duration').toBe('REDUCING');
    m.onEquity({ time: 3 * HOUR, equity: 850 });
    expect(m.state, 'duration over: resumes; peak restarts at 850').toBe('NORMAL');
    m.onEquity({ time: 4 * HOUR, equity: 800 });
    expect(m.state, '5.9% below the new peak').toBe('NORMAL');
  });

  it('flattens on halt when asked', () => {
    const m = new MaxDrawdown({ reduceAt: 0.1, haltAt: 0.2, flattenOnHalt: true }, deps());
    m.onEquity({ time: 0, equity: 1000 });
    m.onEquity({ time: HOUR, equity: 700 });
    const out = m.exits(position('BTC/USDT', 1.23456, 100), ctx());
    expect(out[0]?.amount, 'floored to the step').toBe(1.2345);
    expect(out[0]?.kind).toBe('halt-flatten');
  });
});

describe('DailyLossLimit and KillSwitch', () => {
  it('locks all pairs until the next UTC midnight after the daily loss limit', () => {
    const d = new DailyLossLimit({ maxLossPercent: 5 }, deps());
    const day = 86_400_000;
    d.onEquity({ time: day + HOUR, equity: 1000 });
    d.onEquity({ time: day + 2 * HOUR, equity: 960 });
    expect(verdict(d, 'A/USDT', day + 2 * HOUR).verdict).toBe('approve');
    d.onEquity({ time: day + 3 * HOUR, equity: 949 });
    expect(verdict(d, 'A/USDT', day + 3 * HOUR).verdict).toBe('reject');
    expect(verdict(d, 'A/USDT', 2 * day).verdict, 'a new day').toBe('approve');
  });

  it('kill switch rejects entries while engaged and can flatten', () => {
    const k = new KillSwitch({ flatten: true }, deps());
    expect(verdict(k, 'A/USDT', 0).verdict).toBe('approve');
    k.engage('operator: exchange incident', 5);
    const d = verdict(k, 'A/USDT', 10);
    expect(d.policyId).toBe('kill-switch');
    expect(d.reason).toMatch(/exchange incident/);
    expect(k.exits(position('A/USDT', 2, 10), ctx())[0]?.kind).toBe('kill-switch');
    k.release();
    expect(verdict(k, 'A/USDT', 11).verdict).toBe('approve');
  });
});

describe('restart restores locks and breaker states from the store', () => {
  it('a new instance over the same store sees locks, HALTED/REDUCING, daily lock and kill switch', async () => {
    const store = new MemoryTradeStore();
    const g = new StoplossGuard({ tradeLimit: 1, stopDurationMinutes: 60 }, deps(store));
    const m = new MaxDrawdown({ reduceAt: 0.1, haltAt: 0.2, stopDurationMinutes: 600 }, deps(store));
    const r = new MaxDrawdown({ reduceAt: 0.1, haltAt: 0.2, stopDurationMinutes: 600 }, { ...deps(store), userId: 'u2' });
    const k = new KillSwitch({}, deps(store));
    g.onTradeClosed(trade('A/USDT', 0, -1));
    m.onEquity({ time: 0, equity: 1000 });
    m.onEquity({ time: HOUR, equity: 700 });
    r.onEquity({ time: 0, equity: 1000 });
    r.onEquity({ time: HOUR, equity: 880 });
    k.engage('maintenance', 0);
    await Promise.all([g.flush(), m.flush(), r.flush(), k.flush()]);

    const g2 = new StoplossGuard({ tradeLimit: 1, stopDurationMinutes: 60 }, deps(store));
    const m2 = new MaxDrawdown({ reduceAt: 0.1, haltAt: 0.2, stopDurationMinutes: 600 }, deps(store));
    const r2 = new MaxDrawdown({ reduceAt: 0.1, haltAt: 0.2, stopDurationMinutes: 600 }, { ...deps(store), userId: 'u2' });
    const k2 = new KillSwitch({}, deps(store));
    expect(verdict(g2, 'A/USDT', MIN).verdict, 'before start() nothing is known').toBe('approve');
    await Promise.all([g2.start(), m2.start(), r2.start(), k2.start()]);
    expect(verdict(g2, 'B/USDT', MIN).verdict).toBe('reject');
    expect(m2.state).toBe('HALTED');
    expect(r2.state, 'states are per user').toBe('REDUCING');
    expect(k2.engaged).toBe(true);
    // The restored peak keeps the drawdown honest: 750 is 25% below the peak 1000 from before the restart.
    r2.onEquity({ time: 2 * HOUR, equity: 750 });
    expect(r2.state).toBe('HALTED');
    m2.onEquity({ time: 11 * HOUR + 1, equity: 790 });
    expect(m2.state, 'HALTED expired → resumes NORMAL from a fresh peak').toBe('NORMAL');
  });
});
