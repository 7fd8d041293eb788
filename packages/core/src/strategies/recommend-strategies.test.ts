import { describe, expect, it } from 'vitest';
import { runStrategy } from '../engine/run-strategy';
import { builtinStrategies } from './index';
import { classifyRegime, recommendStrategies, type RegimeKind } from './recommend-strategies';
import { loadCandles } from './test-support/real-candles';

describe('strategy recommendation', () => {
  it('recommends a buildable aggregate for every regime, weights summing to 1', () => {
    const registry = builtinStrategies();
    const regimes: Array<{ kind: RegimeKind; direction?: 'up' | 'down' }> = [{ kind: 'trend', direction: 'up' }, { kind: 'trend', direction: 'down' }, { kind: 'range' }, { kind: 'high-volatility' }];
    const seen = new Set<string>();
    for (const regime of regimes) {
      const r = recommendStrategies(regime);
      expect(r.picks.reduce((a, p) => a + p.weight, 0)).toBeCloseTo(1, 12);
      const s = registry.create(r.spec.id, r.spec.params);
      expect(s.id).toBe(r.picks.map((p) => p.id).join('+'));
      seen.add(r.spec.id);
    }
    expect(seen.size, 'regimes get different line-ups').toBe(4);
    expect(recommendStrategies({ kind: 'range' }).spec.id).not.toContain('ma-cross');
  });

  it('classifies real stretches: the Aug-2024 crash as high-volatility, and uses only the candles given', () => {
    const btc = loadCandles('BTC_USDT-1h.csv');
    const crash = btc.findIndex((c) => c.time === Date.parse('2024-08-05T06:00:00Z'));
    expect(classifyRegime(btc.slice(0, crash + 1)).kind).toBe('high-volatility');
    const kinds = new Set<string>();
    for (let end = 300; end < btc.length; end += 250) kinds.add(classifyRegime(btc.slice(0, end)).kind);
    expect(kinds.size, 'eight months of BTC pass through several regimes').toBeGreaterThanOrEqual(2);
    expect(() => classifyRegime(btc.slice(0, 50))).toThrow(/101/);
  });

  it('the recommended aggregate trades on real data', () => {
    const sol = loadCandles('SOL_USDT-1h.csv');
    const r = recommendStrategies(classifyRegime(sol.slice(0, 500)));
    const signals = runStrategy(builtinStrategies().create(r.spec.id, { ...r.spec.params, aggregate: { ...(r.spec.params.aggregate as object), memory: 6, entryThreshold: 0.05, exitThreshold: 0.05 } }), { symbol: 'SOL/USDT', timeframe: '1h', candles: sol });
    expect(signals.length).toBeGreaterThan(0);
  });
});
