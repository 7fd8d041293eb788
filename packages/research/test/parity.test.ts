import { builtinStrategies } from '@kairos/core';
import { FixedFractionSizing } from '@kairos/risk';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SeriesData, describeParams, loadSeries, runEngine, runSweep } from '../src';
import type { StrategyDefinition } from '@kairos/core';
import { DATA_DIR, expectSameTrades, testRng } from './helpers';

// Volume participation 1: the sweep assumes fills are not split by candle volume.
const FILL = { initialCash: 10_000, fraction: 0.3, feeBuffer: 0.005, slippageBps: 5, volumeParticipation: 1 };

function maCrossSets(seed: number, count: number): Record<string, unknown>[] {
  const r = testRng(seed);
  return Array.from({ length: count }, () => {
    const fast = 2 + Math.floor(r() * 40);
    return { kind: r() < 0.5 ? 'sma' : 'ema', fast, slow: fast + 1 + Math.floor(r() * 120) };
  });
}

/** Random valid parameter sets drawn from a strategy's own schema (periods kept to a few times their default). */
function schemaSets(def: StrategyDefinition, seed: number, count: number): Record<string, unknown>[] {
  const r = testRng(seed);
  const defaults = def.params.parse({}) as Record<string, unknown>;
  const out: Record<string, unknown>[] = [];
  for (let tries = 0; out.length < count && tries < count * 200; tries++) {
    const set: Record<string, unknown> = {};
    for (const p of describeParams(def)) {
      const d = defaults[p.name];
      if (p.kind === 'boolean') set[p.name] = r() < 0.5;
      else if (p.kind === 'enum') set[p.name] = p.options[Math.floor(r() * p.options.length)];
      else if (p.kind === 'int' && typeof d === 'number') {
        const hi = Math.min(p.max, Math.max(p.min + 1, d * 3));
        set[p.name] = p.min + Math.floor(r() * (hi - p.min + 1));
      } else if (p.kind === 'number' && typeof d === 'number') {
        const lo = Math.max(p.min, d / 2);
        set[p.name] = lo + r() * (Math.min(p.max, Math.max(lo, d * 2)) - lo);
      }
    }
    if (def.params.safeParse(set).success) out.push(set);
  }
  return out;
}

describe('sweep ↔ Engine parity (bundled data)', () => {
  let series: SeriesData[];
  beforeAll(async () => {
    series = await loadSeries({ dataDir: DATA_DIR, symbols: ['BTC/USDT', 'PEPE/USDT'], timeframe: '1h' });
  });

  it('ma-cross: kernel path agrees with the Engine trade for trade at 20 random parameter sets', async () => {
    const def = builtinStrategies().get('ma-cross');
    const sets = maCrossSets(42, 20);
    const rows = runSweep({ definition: def, series, paramSets: sets, fill: FILL, record: true });
    expect(rows.every((r) => r.path === 'kernel')).toBe(true);
    let total = 0;
    for (const row of rows) {
      const s = series.find((x) => x.symbol === row.symbol) as SeriesData;
      const report = await runEngine({ definition: def, params: row.params, series: [s], risk: new FixedFractionSizing({ fraction: FILL.fraction }), fill: FILL });
      expectSameTrades(row.outcome.tradeList ?? [], report.trades, `${row.symbol} ${JSON.stringify(row.params)}`);
      expect(row.outcome.volumeLimited).toBe(0);
      const last = report.equityCurve[report.equityCurve.length - 1];
      expect(Math.abs(row.outcome.endEquity - (last?.equity ?? 0)), 'end equity').toBeLessThan(1e-6);
      total += report.trades.length;
    }
    expect(total, 'the sets trade').toBeGreaterThan(100);
  });

  it('every built-in strategy: the generic path agrees with the Engine trade for trade at 20 random parameter sets', async () => {
    // Four months of one symbol per strategy keep the Engine runs (the slow side) short.
    const [btc] = (await loadSeries({ dataDir: DATA_DIR, symbols: ['ETH/USDT'], timeframe: '1h', from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 4, 1) })) as [SeriesData];
    const reg = builtinStrategies();
    expect(reg.ids().length).toBeGreaterThanOrEqual(4);
    for (const def of reg.list()) {
      const sets = schemaSets(def, 11, 20);
      expect(sets.length, def.id).toBe(20);
      const rows = runSweep({ definition: def, series: [btc], paramSets: sets, fill: FILL, record: true, generic: true });
      let total = 0;
      for (const row of rows) {
        const report = await runEngine({ definition: def, params: row.params, series: [btc], risk: new FixedFractionSizing({ fraction: FILL.fraction }), fill: FILL });
        expectSameTrades(row.outcome.tradeList ?? [], report.trades, `${def.id} ${JSON.stringify(row.params)}`);
        total += report.trades.length;
      }
      expect(total, `${def.id} trades at all`).toBeGreaterThan(0);
    }
  });
});
