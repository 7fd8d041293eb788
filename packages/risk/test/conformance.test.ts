import { MemoryTradeStore, type RiskPolicy } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { NullRiskPolicy } from '../src/composite-risk-policy';
import { createRiskPolicy } from '../src/create-risk-policy';
import { RISK_POLICY_IDS } from '../src/risk-config';
import { HOUR, candle, ctx, entry, exit, market, position } from './support/fixtures';

/**
 * The behaviour every risk policy shares, run against each one: exits are never
 * blocked, proposals are not mutated, rejections name the policy and say why, and an
 * approved sized entry is on the market's step and above its minimums.
 */
function riskPolicyContract(name: string, make: () => RiskPolicy): void {
  describe(`RiskPolicy contract: ${name}`, () => {
    const warm = (p: RiskPolicy) => {
      for (let i = 0; i < 60; i++) for (const s of ['BTC/USDT', 'ETH/USDT']) p.onCandle?.(candle(s, i * HOUR, 100 + (i % 5), 1.5));
      return p;
    };
    it('never blocks an exit and does not mutate proposals', () => {
      const p = warm(make());
      const x = exit('BTC/USDT', 100, 1);
      const frozen = JSON.stringify(x);
      const d = p.evaluate(x, ctx({ positions: [position('BTC/USDT', 1, 100)] }));
      expect(d.verdict).toBe('approve');
      expect(JSON.stringify(x)).toBe(frozen);
    });
    it('explains rejections and sizes within market rules', () => {
      const p = warm(make());
      const m = market({ amountStep: 0.001, minAmount: 0.001, minNotional: 10 });
      for (const equity of [5, 50, 500, 5000, 50_000]) {
        const e = entry('ETH/USDT', 103.7);
        const d = p.evaluate(e, ctx({ now: 61 * HOUR, market: m, equity, freeQuote: equity, positions: [position('BTC/USDT', 0.01, 100)] }));
        if (d.verdict === 'reject') {
          expect(d.policyId.length, 'a policy id').toBeGreaterThan(0);
          expect(d.reason.length, 'a reason').toBeGreaterThan(5);
        } else if (d.proposal.amount !== undefined) {
          const a = d.proposal.amount;
          expect(Math.abs(a / m.amountStep - Math.round(a / m.amountStep)), 'on step').toBeLessThan(1e-6);
          expect(a).toBeGreaterThanOrEqual(m.minAmount);
          expect(a * e.price).toBeGreaterThanOrEqual(m.minNotional);
          expect(a * e.price, 'never beyond free cash').toBeLessThanOrEqual(equity);
        }
        for (const n of d.notes) expect(n.reason.length).toBeGreaterThan(5);
      }
    });
  });
}

riskPolicyContract('null', () => new NullRiskPolicy());
riskPolicyContract('preset none', () => createRiskPolicy({ preset: 'none' }));
riskPolicyContract('preset default', () => createRiskPolicy({}));
for (const id of RISK_POLICY_IDS) {
  if (id === 'sizing') continue;
  const extra = id === 'partial-close' ? { partialCloses: { ladder: [{ profitPercent: 2, fraction: 0.5 }] } } : id === 'deposit' ? { deposit: { initialDeposit: 1000 } } : {};
  riskPolicyContract(`sizing + ${id}`, () => createRiskPolicy({ policies: ['sizing', id], ...extra }, { store: new MemoryTradeStore() }));
}
for (const method of ['fixed-fraction', 'fixed-risk', 'volatility-target', 'kelly'] as const) {
  riskPolicyContract(`sizing ${method}`, () => createRiskPolicy({ policies: ['sizing'], sizing: { method } }));
}
