import { describe, expect, it } from 'vitest';
import { runStrategy } from '../engine/run-strategy';
import { SymbolState } from '../engine/symbol-state';
import { MemoryLogger } from '../log/loggers';
import type { Strategy } from '../ports/strategy';
import { builtinStrategies } from '../strategies/index';
import { loadCandles } from '../strategies/test-support/real-candles';
import { createCompositeStrategy } from './composite-strategy';
import { SignalAggregator } from './signal-aggregator';

const data = loadCandles('BTC_USDT-1h.csv');
const registry = builtinStrategies();
const opts = { symbol: 'BTC/USDT', timeframe: '1h' as const, candles: data };

function allFour(dynamic = false): Strategy[] {
  return registry.ids().map((id) => registry.create(id, { dynamic }));
}

describe('createCompositeStrategy', () => {
  it('shares indicators across children: each distinct indicator is computed once per symbol', () => {
    const children = allFour(true);
    const composite = createCompositeStrategy(children, new SignalAggregator(children.map((c) => c.id)));
    const declared = Object.keys(composite.indicators).length;
    const state = new SymbolState('BTC/USDT', '1h');
    state.viewFor(composite);
    // Every child asks for the same two NATR windows, macd-trend twice for MACD outputs, bollinger thrice.
    expect(state.indicators.unitCount).toBeLessThan(declared - 6);
  });

  it('gives identical decisions with batch and streaming indicators', () => {
    const make = () => {
      const c = allFour();
      return createCompositeStrategy(c, new SignalAggregator(c.map((x) => x.id), { memory: 6, entryThreshold: 0.05, exitThreshold: 0.05 }));
    };
    const batch = runStrategy(make(), { ...opts, mode: 'batch' });
    const stream = runStrategy(make(), { ...opts, mode: 'stream' });
    expect(batch.length).toBeGreaterThan(20);
    expect(stream).toEqual(batch);
    for (const s of batch) expect(s.source).toBe('aggregate');
  });

  it('requires agreement when asked: two agreeing sources fire less often than any one', () => {
    const children = allFour();
    const ids = children.map((c) => c.id);
    const any = runStrategy(createCompositeStrategy(allFour(), new SignalAggregator(ids, { memory: 12, entryThreshold: 0.01 })), opts);
    const two = runStrategy(createCompositeStrategy(children, new SignalAggregator(ids, { memory: 12, entryThreshold: 0.01, minAgreeing: 2 })), opts);
    const buys = (xs: typeof any) => xs.filter((s) => s.direction === 'buy').length;
    expect(buys(two)).toBeGreaterThan(0);
    expect(buys(two)).toBeLessThan(buys(any));
  });

  it('contains a failing child: logged, counted, the others still vote', () => {
    const bomb: Strategy = { id: 'bomb', warmup: 1, indicators: {}, decide: () => { throw new Error('kaboom'); } };
    const liar: Strategy = { id: 'liar', warmup: 1, indicators: {}, decide: (v) => ({ symbol: 'ETH/USDT', time: v.time, direction: 'buy', strength: Number.NaN, confidence: 1, source: 'liar', reason: '' }) };
    const ma = registry.create('ma-cross', {});
    const logger = new MemoryLogger();
    const failures: string[] = [];
    const composite = createCompositeStrategy([bomb, ma, liar], new SignalAggregator(['bomb', 'ma-cross', 'liar'], { entryThreshold: 0.05, exitThreshold: 0.05 }), {
      logger,
      onFailure: (id, _symbol, error) => failures.push(`${id}: ${error}`),
    });
    const signals = runStrategy(composite, opts);
    const alone = runStrategy(registry.create('ma-cross', {}), opts);
    expect(signals.map((s) => [s.time, s.direction])).toEqual(alone.map((s) => [s.time, s.direction]));
    expect(composite.errorCount).toBe(2 * (data.length - 1 + 1));
    expect(failures.filter((f) => f.startsWith('bomb: kaboom')).length).toBe(data.length);
    expect(failures.some((f) => /^liar: invalid signal/.test(f))).toBe(true);
    expect(logger.entries.filter((e) => e.level === 'warn').length).toBe(composite.errorCount);
    const last = composite.lastDecision('BTC/USDT');
    expect(last?.contributions.map((c) => c.source)).toEqual(['bomb', 'ma-cross', 'liar']);
  });

  it('rejects an empty list and duplicate ids', () => {
    expect(() => createCompositeStrategy([], new SignalAggregator(['a']))).toThrow(/at least one/);
    const ma = registry.create('ma-cross', {});
    expect(() => createCompositeStrategy([ma, ma], new SignalAggregator(['ma-cross']))).toThrow(/listed twice/);
  });
});
