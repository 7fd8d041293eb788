import { describe, expect, it } from 'vitest';
import { runStrategy } from '../engine/run-strategy';
import { SymbolState } from '../engine/symbol-state';
import { MemoryLogger } from '../log/loggers';
import type { Signal } from '../domain/signal';
import type { MarketView, Strategy } from '../ports/strategy';
import { builtinStrategies } from '../strategies/index';
import { loadCandles } from '../strategies/test-support/real-candles';
import { createCompositeStrategy } from './composite-strategy';
import { type AggregateDecision, SignalAggregator } from './signal-aggregator';

const data = loadCandles('BTC_USDT-1h.csv');
const registry = builtinStrategies();
const opts = { symbol: 'BTC/USDT', timeframe: '1h' as const, candles: data };

function allFour(dynamic = false): Strategy[] {
  return registry.ids().map((id) => registry.create(id, { dynamic }));
}

function make4(): Strategy {
  const c = allFour();
  return createCompositeStrategy(c, new SignalAggregator(c.map((x) => x.id), { memory: 6, entryThreshold: 0.05, exitThreshold: 0.05 }));
}

describe('createCompositeStrategy', () => {
  it('shares indicators across children: each distinct indicator is computed once per symbol', () => {
    const children = allFour(true);
    const composite = createCompositeStrategy(children, new SignalAggregator(children.map((c) => c.id)));
    const declared = children.reduce((n, c) => n + Object.keys(c.indicators).length, 0);
    const state = new SymbolState('BTC/USDT', '1h');
    state.viewFor(composite);
    // Every child asks for the same two NATR windows, macd-trend twice for MACD outputs, bollinger thrice.
    expect(state.indicators.unitCount).toBeLessThan(declared - 6);
    // Their names agree, so the children share the composite's view and names.
    expect(Object.keys(composite.indicators).sort()).toEqual([...new Set(children.flatMap((c) => Object.keys(c.indicators)))].sort());
  });

  it('keeps children apart whose names clash: each reads its own indicator under the same name', () => {
    const renamed = (id: string, inner: Strategy): Strategy => ({ ...inner, id, decide: (view) => { const s = inner.decide(view); return s && { ...s, source: id }; } });
    const quick = renamed('quick-cross', registry.create('ma-cross', { fast: 5, slow: 50 }));
    const usual = registry.create('ma-cross', {});
    // Both call their averages `fast` and `slow`, with different periods.
    expect(quick.indicators.fast).not.toEqual(usual.indicators.fast);
    for (const [heard, alone] of [
      ['quick-cross', quick],
      ['ma-cross', usual],
    ] as const) {
      // Only `heard` weighs, and any of its signals clears the threshold: the composite
      // says what that child says, on the same bars.
      const composite = createCompositeStrategy([usual, quick], new SignalAggregator(['ma-cross', 'quick-cross'], { weights: { 'ma-cross': 0, 'quick-cross': 0, [heard]: 1 }, entryThreshold: 0.01, exitThreshold: 0.01 }));
      expect(Object.keys(composite.indicators).sort()).toEqual(['0.fast', '0.slow', '1.fast', '1.slow']);
      const together = runStrategy(composite, { ...opts, mode: 'stream' }).map((s) => `${s.time} ${s.direction}`);
      const own = runStrategy(alone, { ...opts, mode: 'stream' }).map((s) => `${s.time} ${s.direction}`);
      expect(own.length).toBeGreaterThan(10);
      expect(together).toEqual(own);
    }
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
    expect(stream.map((s) => s.reason)).toEqual(batch.map((s) => s.reason));
    for (const s of batch) expect(s.source).toBe('aggregate');
  });

  it('decides the same with and without a decision listener, and reports each source with its reason', () => {
    const make = (onDecision?: (d: AggregateDecision) => void) => {
      const c = allFour();
      return createCompositeStrategy(c, new SignalAggregator(c.map((x) => x.id), { memory: 6, entryThreshold: 0.05 }), onDecision ? { onDecision } : {});
    };
    const decisions: AggregateDecision[] = [];
    const listened = make((d) => decisions.push(d));
    const quiet = make();
    const a = runStrategy(listened, opts);
    const b = runStrategy(quiet, opts);
    expect(b.map((s) => `${s.time} ${s.direction} ${s.strength} ${s.confidence} ${s.reason}`)).toEqual(a.map((s) => `${s.time} ${s.direction} ${s.strength} ${s.confidence} ${s.reason}`));
    expect(decisions.length).toBe(data.length - Math.min(...allFour().map((c) => c.warmup)) + 1);
    expect(JSON.stringify(quiet.lastDecision('BTC/USDT'))).toBe(JSON.stringify(listened.lastDecision('BTC/USDT')));
    // Every aggregate signal names its voting sources with their own reasons.
    for (const d of decisions.filter((x) => x.signal)) {
      for (const c of d.contributions.filter((x) => x.contribution !== 0)) {
        expect(c.reason.length).toBeGreaterThan(0);
        expect(d.signal?.reason).toContain(`${c.source} `);
        expect(d.signal?.reason).toContain(c.reason);
      }
    }
  });

  it('decides the same over a whole series (decideSeries) as bar by bar, for several settings and symbols', () => {
    const settings = [
      { memory: 1 },
      { memory: 6, weights: { 'rsi-divergence': 3, 'ma-cross': 0 }, minAgreeing: 2, entryThreshold: 0.05 },
      { memory: 20, exitThreshold: 0.02, minAgreeingExit: 2, defaultWeight: 0.5 },
    ];
    const key = (s: Signal) => `${s.symbol}|${s.time}|${s.direction}|${s.strength}|${s.confidence}|${s.source}|${s.reason}`;
    let fired = 0;
    for (const file of ['BTC_USDT-1h.csv', 'PEPE_USDT-1h.csv', 'SOL_USDT-1h.csv', 'DOGE_USDT-1h.csv']) {
      const candles = loadCandles(file);
      const symbol = file.replace('_', '/').replace('-1h.csv', '');
      settings.forEach((config, n) => {
        const make = () => {
          const children = allFour(n === 2);
          // One child without a batch form: the composite replays it through decide.
          if (n === 1) {
            const b = children[2] as Strategy;
            children[2] = { id: b.id, warmup: b.warmup, indicators: b.indicators, decide: (v) => b.decide(v) };
          }
          return createCompositeStrategy(children, new SignalAggregator(children.map((x) => x.id), config));
        };
        const whole = make();
        const barByBar = make();
        const batch = runStrategy(whole, { symbol, timeframe: '1h', candles, mode: 'batch' });
        const stream = runStrategy(barByBar, { symbol, timeframe: '1h', candles, mode: 'stream' });
        expect(batch.map(key), `${file} ${JSON.stringify(config)}`).toEqual(stream.map(key));
        expect(JSON.stringify(whole.lastDecision(symbol))).toBe(JSON.stringify(barByBar.lastDecision(symbol)));
        fired += batch.length;
      });
    }
    expect(fired).toBeGreaterThan(100);
  });

  it("runs on any MarketView, not only the engine's: children read their own names through a wrapper", () => {
    const state = new SymbolState('BTC/USDT', '1h');
    const c = allFour();
    const composite = createCompositeStrategy(c, new SignalAggregator(c.map((x) => x.id), { memory: 6, entryThreshold: 0.05, exitThreshold: 0.05 }));
    const engineView = state.viewFor(composite);
    // A plain object view over the same data: no engine internals to build scoped views from.
    const plainView: MarketView = {
      symbol: engineView.symbol,
      timeframe: engineView.timeframe,
      get length() {
        return engineView.length;
      },
      get time() {
        return engineView.time;
      },
      candle: (offset) => engineView.candle(offset),
      indicator: (key, offset) => engineView.indicator(key, offset),
    };
    const signals: string[] = [];
    for (const candle of data) {
      state.append(candle);
      if (plainView.length < composite.warmup) continue;
      const s = composite.decide(plainView);
      if (s) signals.push(`${s.time} ${s.direction} ${s.reason}`);
    }
    const reference = runStrategy(make4(), { ...opts, mode: 'stream' }).map((s) => `${s.time} ${s.direction} ${s.reason}`);
    expect(signals.length).toBeGreaterThan(20);
    expect(signals).toEqual(reference);
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

  it('starts a symbol afresh after the aggregator forgot it', () => {
    const aggregator = new SignalAggregator(['first'], { memory: 5 });
    const first: Strategy = {
      id: 'first',
      warmup: 1,
      indicators: {},
      decide: (v) => (v.length === 1 ? { symbol: v.symbol, time: v.time, direction: 'buy', strength: 1, confidence: 1, source: 'first', reason: 'first bar' } : null),
    };
    const composite = createCompositeStrategy([first], aggregator);
    const state = new SymbolState('BTC/USDT', '1h');
    const view = state.viewFor(composite);
    state.append(data[0]!);
    expect(composite.decide(view)?.direction).toBe('buy');
    state.append(data[1]!);
    expect(composite.decide(view)?.direction, 'remembered, faded').toBe('buy');
    aggregator.reset('BTC/USDT');
    state.append(data[2]!);
    expect(composite.decide(view), 'forgotten').toBeNull();
    expect(composite.lastDecision('BTC/USDT')?.contributions[0]?.age).toBe(-1);
  });

  it('rejects an empty list and duplicate ids', () => {
    expect(() => createCompositeStrategy([], new SignalAggregator(['a']))).toThrow(/at least one/);
    const ma = registry.create('ma-cross', {});
    expect(() => createCompositeStrategy([ma, ma], new SignalAggregator(['ma-cross']))).toThrow(/listed twice/);
  });
});
