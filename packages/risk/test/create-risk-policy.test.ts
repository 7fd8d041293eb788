import { ConfigError, EventBus, MemoryTradeStore } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { attachRiskPolicy } from '../src/attach-risk-policy';
import { CompositeRiskPolicy, NullRiskPolicy } from '../src/composite-risk-policy';
import { createRiskPolicy, riskChain } from '../src/create-risk-policy';
import { RiskConfigSchema } from '../src/risk-config';
import type { MaxDrawdown } from '../src/protections/max-drawdown';
import { HOUR, candle, ctx, entry, exit, trade } from './support/fixtures';

function keyOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.key;
    throw e;
  }
  return undefined;
}

describe('createRiskPolicy config', () => {
  it('builds the default set and none', () => {
    expect(createRiskPolicy({}).policies.map((p) => p.id)).toEqual([
      'kill-switch', 'max-drawdown', 'daily-loss-limit', 'stoploss-guard', 'cooldown-period', 'order-rate-limit', 'volatility-target', 'exposure-limits', 'correlation-cap', 'exit-rules',
    ]);
    expect(createRiskPolicy({ preset: 'none' }).policies.map((p) => p.id)).toEqual(['fixed-fraction']);
    expect(riskChain(RiskConfigSchema.parse({ deposit: {}, partialCloses: { ladder: [{ profitPercent: 5, fraction: 0.5 }] } }))).toContain('partial-close');
  });

  it('fails at start with a typed error naming the key', () => {
    expect(keyOf(() => createRiskPolicy({ fraction: 1.5 }))).toBe('risk.fraction');
    expect(keyOf(() => createRiskPolicy({ sizing: { method: 'fixed-fraction', fraction: 0 } }))).toBe('risk.sizing.fraction');
    expect(keyOf(() => createRiskPolicy({ stopLoss: { percent: -2 } })), 'a stop above the entry of a long').toBe('risk.stopLoss.percent');
    expect(keyOf(() => createRiskPolicy({ stopLoss: { percent: 120 } }))).toBe('risk.stopLoss.percent');
    expect(keyOf(() => createRiskPolicy({ takeProfit: { percent: -5 } }))).toBe('risk.takeProfit.percent');
    expect(keyOf(() => createRiskPolicy({ partialCloses: { ladder: [{ profitPercent: 5, fraction: 0.6 }, { profitPercent: 9, fraction: 0.5 }] } }))).toBe('risk.partialCloses.ladder');
    expect(keyOf(() => createRiskPolicy({ policies: ['sizing', 'no-such-policy' as never] }))).toBe('risk.policies.1');
    expect(keyOf(() => createRiskPolicy({ policies: ['exit-rules'] })), 'no sizing').toBe('risk.policies');
    expect(keyOf(() => createRiskPolicy({ policies: ['exposure-limits', 'sizing'] }))).toBe('risk.policies.0');
    expect(keyOf(() => createRiskPolicy({ protections: { maxDrawdown: { reduceAt: 0.3, haltAt: 0.2 } } }))).toBe('risk.protections.maxDrawdown.reduceAt');
    expect(keyOf(() => createRiskPolicy({ preset: 'aggressive' as never }))).toBe('risk.preset');
    const e = (() => {
      try {
        createRiskPolicy({ policies: ['bogus' as never] });
      } catch (err) {
        return err as ConfigError;
      }
    })();
    expect(e?.code).toBe('CONFIG_INVALID');
    expect(e?.details.allowed, 'the error lists the known ids').toContain('kill-switch');
  });

  it('sizes the default fixed-risk method from the stop-loss actually configured', () => {
    const p = createRiskPolicy({ sizing: { method: 'fixed-risk', riskPerTrade: 0.01 }, stopLoss: { percent: 4 }, fraction: 1 });
    const d = p.evaluate(entry('BTC/USDT', 100), ctx());
    expect(d.verdict === 'approve' && d.proposal.amount, '100 at risk over a 4-unit stop').toBe(25);
  });
});

describe('CompositeRiskPolicy', () => {
  it('first rejection wins, with its policy id and reason; notes explain approvals', () => {
    const p = createRiskPolicy({ preset: 'none', fraction: 0.1, policies: ['sizing', 'exposure-limits'], limits: { maxPositionSize: 500 } });
    const d = p.evaluate(entry('BTC/USDT', 100), ctx());
    expect(d.verdict === 'approve' && d.proposal.amount).toBe(5);
    expect(d.notes.map((n) => `${n.policyId}:${n.action}`)).toEqual(['fixed-fraction:approved', 'exposure-limits:resized']);
    const tiny = p.evaluate(entry('BTC/USDT', 100), ctx({ equity: 50, freeQuote: 50 }));
    expect(tiny.verdict === 'reject' && tiny.policyId).toBe('fixed-fraction');
  });

  it('contains a throwing member: entries fail closed, exits pass', () => {
    const bad = { id: 'bad', evaluate: () => { throw new Error('boom'); } };
    const c = new CompositeRiskPolicy([bad, new NullRiskPolicy()]);
    const d = c.evaluate(entry(), ctx());
    expect(d.verdict === 'reject' && `${d.policyId} ${d.reason}`).toMatch(/bad policy failed: Error: boom/);
    expect(c.evaluate(exit(), ctx()).verdict).toBe('approve');
  });

  it('follows the run through the bus and restores state on start', async () => {
    const store = new MemoryTradeStore();
    const bus = new EventBus();
    const p = createRiskPolicy({}, { store, userId: 'u1' });
    attachRiskPolicy(bus, p, 'u1');
    for (let i = 0; i < 20; i++) bus.emit('candle.closed', candle('BTC/USDT', i * HOUR, 100, 1));
    bus.emit('portfolio.equity', { userId: 'u1', point: { time: 0, equity: 1000, cash: 1000 } });
    bus.emit('portfolio.equity', { userId: 'other', point: { time: HOUR, equity: 10, cash: 10 } });
    expect(p.find<MaxDrawdown>('max-drawdown')?.state, 'other users do not count').toBe('NORMAL');
    bus.emit('portfolio.equity', { userId: 'u1', point: { time: HOUR, equity: 700, cash: 700 } });
    bus.emit('trade.closed', { userId: 'u1', trade: trade('BTC/USDT', HOUR, -3) });
    const d = p.evaluate(entry('ETH/USDT', 100), ctx({ now: 2 * HOUR }));
    expect(d.verdict === 'reject' && d.policyId).toBe('max-drawdown');
    await p.flush();
    const restarted = createRiskPolicy({}, { store, userId: 'u1' });
    await restarted.start();
    expect(restarted.find<MaxDrawdown>('max-drawdown')?.state).toBe('HALTED');
  });
});
