import { describe, expect, it } from 'vitest';
import { createRiskPolicy } from '../src/create-risk-policy';
import { runEngine } from './support/engine-harness';

/**
 * The acceptance check on the bundled real candles: the same strategy with the default
 * risk set has a lower max drawdown than with none, and every rejection is explained.
 */
describe('default risk set on bundled 1h data', () => {
  for (const symbols of [['BTC/USDT'], ['ETH/USDT', 'SOL/USDT', 'DOGE/USDT']]) {
    it(`ma-cross on ${symbols.join(', ')}: lower max drawdown with risk on`, async () => {
      const none = await runEngine({ symbols, risk: createRiskPolicy({ preset: 'none' }) });
      const def = await runEngine({ symbols, risk: createRiskPolicy({ preset: 'default' }) });
      console.log(`${symbols.join(',')}: max DD none ${none.summary.maxDrawdownPct.toFixed(2)}% vs default ${def.summary.maxDrawdownPct.toFixed(2)}%; return ${none.summary.returnPct.toFixed(2)}% vs ${def.summary.returnPct.toFixed(2)}%`);
      expect(none.summary.trades, 'the strategy trades').toBeGreaterThan(20);
      expect(def.summary.trades).toBeGreaterThan(20);
      expect(def.summary.maxDrawdownPct).toBeLessThan(none.summary.maxDrawdownPct);
      for (const r of [...none.report.rejections, ...def.report.rejections]) {
        expect(r.policyId.length).toBeGreaterThan(0);
        expect(r.reason.length).toBeGreaterThan(5);
      }
      expect(def.report.trades.some((t) => /^(stop-loss|trailing-stop)/.test(t.exitReason ?? '')), 'risk exits fired').toBe(true);
    }, 60_000);
  }
});

describe('risk audit', () => {
  it('stores every rejection and resize of a backtest with policy id and reason', async () => {
    const { MemoryTradeStore, EventBus } = await import('@kairos/core');
    const { attachRiskAudit } = await import('../src/attach-risk-audit');
    const store = new MemoryTradeStore();
    const bus = new EventBus();
    const audit = attachRiskAudit(bus, store, 'u1', { now: () => 0, limit: 100_000 });
    const run = await runEngine({ symbols: ['ETH/USDT', 'SOL/USDT', 'DOGE/USDT'], risk: createRiskPolicy({}), bus, to: Date.UTC(2024, 3, 1) });
    await audit.flush();
    const stored = JSON.parse((await store.getValue('risk:u1:audit')) ?? '[]') as Array<{ action: string; policyId: string; reason: string }>;
    const rejected = stored.filter((e) => e.action === 'rejected');
    expect(rejected.length, 'one stored entry per rejection in the report').toBe(run.report.rejections.length);
    expect(stored.length).toBeGreaterThan(0);
    for (const e of stored) expect(e.policyId.length * e.reason.length).toBeGreaterThan(0);
  }, 60_000);
});
