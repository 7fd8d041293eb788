import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeriesSignals } from '../ports/strategy';
import type { Signal } from '../domain/signal';
import { ConfigError } from '../errors/kairos-error';
import { SignalAggregator } from './signal-aggregator';

function sig(source: string, strength: number, confidence = 1): Signal {
  return { symbol: 'BTC/USDT', time: 0, direction: strength > 0 ? 'buy' : 'sell', strength, confidence, source, reason: `${source} says so` };
}

describe('SignalAggregator', () => {
  it('scores the weighted mean of strength × confidence over all sources and reports each part', () => {
    const agg = new SignalAggregator(['a', 'b', 'c'], { weights: { a: 2, b: 1, c: 1 }, entryThreshold: 0.3 });
    const d = agg.combine('BTC/USDT', 100, [sig('a', 0.8, 0.5), sig('b', 0.6)]);
    // (2·0.8·0.5 + 1·0.6·1 + 1·0) / 4 = 0.35
    expect(d.score).toBeCloseTo(0.35, 12);
    expect(d.direction).toBe('buy');
    expect(d.signal?.source).toBe('aggregate');
    expect(d.signal?.strength).toBeCloseTo(0.35, 12);
    expect(d.contributions.map((c) => [c.source, c.direction, Number(c.contribution.toFixed(3))])).toEqual([
      ['a', 'buy', 0.2],
      ['b', 'buy', 0.15],
      ['c', 'hold', 0],
    ]);
    expect(d.signal?.reason).toMatch(/a \+0\.200 \(a says so\); b \+0\.150/);
  });

  it('holds below the entry threshold and below the number of agreeing sources', () => {
    const agg = new SignalAggregator(['a', 'b'], { entryThreshold: 0.3, minAgreeing: 2 });
    expect(agg.combine('X/USDT', 1, [sig('a', 0.5)]).direction, 'score 0.25 < 0.3').toBe('hold');
    const strong = agg.combine('X/USDT', 2, [sig('a', 1)]);
    expect(strong.score).toBeCloseTo(0.5, 12);
    expect(strong.direction, 'only one source agrees').toBe('hold');
    expect(agg.combine('X/USDT', 3, [sig('a', 1), sig('b', 0.4)]).direction).toBe('buy');
  });

  it('sells past the exit threshold, and opposite votes cancel', () => {
    const agg = new SignalAggregator(['a', 'b'], { exitThreshold: 0.2 });
    expect(agg.combine('X/USDT', 1, [sig('a', -0.6), sig('b', 0.6)]).direction).toBe('hold');
    const d = agg.combine('X/USDT', 2, [sig('a', -0.6)]);
    expect(d.score).toBeCloseTo(-0.3, 12);
    expect(d.direction).toBe('sell');
    expect(d.sellers).toBe(1);
  });

  it('remembers a signal for `memory` bars, fading linearly, per symbol', () => {
    const agg = new SignalAggregator(['a', 'b'], { memory: 3, entryThreshold: 0.5, minAgreeing: 2 });
    expect(agg.combine('X/USDT', 1, [sig('a', 1)]).score).toBeCloseTo(0.5, 12);
    expect(agg.combine('Y/USDT', 1, []).score, 'other symbols are untouched').toBe(0);
    const next = agg.combine('X/USDT', 2, [sig('b', 1)]);
    // a faded to 2/3 one bar later; b is fresh: (2/3 + 1) / 2
    expect(next.score).toBeCloseTo(5 / 6, 12);
    expect(next.direction).toBe('buy');
    agg.combine('X/USDT', 3, []);
    const gone = agg.combine('X/USDT', 4, []);
    expect(gone.contributions.find((c) => c.source === 'a')?.direction, 'a expired after 3 bars').toBe('hold');
  });

  it('vote() decides as combine() does; lastDecision() reports that bar, an expiry as a hold with its age', () => {
    const bars: Signal[][] = [[sig('a', 0.9)], [], [sig('b', -0.4, 0.5)], [], [], [sig('a', 0.6), sig('b', 0.8)], []];
    const full = new SignalAggregator(['a', 'b'], { memory: 3, entryThreshold: 0.2 });
    const lean = new SignalAggregator(['a', 'b'], { memory: 3, entryThreshold: 0.2 });
    bars.forEach((signals, t) => {
      const d = full.combine('X/USDT', t, signals);
      const s = lean.vote('X/USDT', t, signals);
      expect(s?.direction ?? 'hold').toBe(d.direction);
      expect(s?.strength).toBe(d.signal?.strength);
      expect(s?.reason).toBe(d.signal?.reason);
      expect(JSON.stringify(lean.lastDecision('X/USDT'))).toBe(JSON.stringify(d));
    });
    const expired = new SignalAggregator(['a', 'b'], { memory: 2 });
    expired.vote('X/USDT', 0, [sig('a', 1)]);
    expired.vote('X/USDT', 1, []);
    expired.vote('X/USDT', 2, []);
    expect(expired.lastDecision('X/USDT')?.contributions[0]).toMatchObject({ source: 'a', direction: 'hold', age: 2, contribution: 0 });
    expired.vote('X/USDT', 3, []);
    expect(expired.lastDecision('X/USDT')?.contributions[0]).toMatchObject({ source: 'a', direction: 'hold', age: -1 });
    expect(expired.lastDecision('Y/USDT')).toBeUndefined();
  });

  it('ignores signals from sources it was not configured with', () => {
    const agg = new SignalAggregator(['a']);
    expect(agg.combine('X/USDT', 1, [sig('intruder', 1)]).score).toBe(0);
  });

  it('rejects bad settings with a ConfigError naming the key', () => {
    expect(() => new SignalAggregator(['a'], { entryThreshold: 2 })).toThrow(ConfigError);
    expect(() => new SignalAggregator(['a'], { entryThreshold: 2 })).toThrow(/aggregate\.entryThreshold/);
    expect(() => new SignalAggregator(['a'], { weights: { a: -1 } })).toThrow(/aggregate\.weights\.a/);
    expect(() => new SignalAggregator([], {})).toThrow(/aggregate\.sources/);
  });

  it('voteSeries decides every bar as voteIn does bar by bar, and leaves the same memory (random lists and settings)', () => {
    const sources = ['a', 'b', 'c', 'd'];
    // Thousandths: fast-check's doubles crowd near 0, where nothing would ever vote.
    const unit = (min: number) => fc.integer({ min, max: 1000 }).map((x) => x / 1000);
    const vote = fc.record({
      bar: fc.integer({ min: 0, max: 199 }),
      source: fc.constantFrom('a', 'b', 'c', 'd', 'stranger'),
      direction: fc.constantFrom('buy', 'buy', 'sell', 'sell', 'hold'),
      strength: unit(0),
      confidence: unit(0),
    });
    const settings = fc.record({
      memory: fc.integer({ min: 1, max: 30 }),
      entryThreshold: unit(1).map((x) => x / 2),
      exitThreshold: unit(1).map((x) => x / 2),
      minAgreeing: fc.integer({ min: 1, max: 2 }),
      minAgreeingExit: fc.integer({ min: 1, max: 2 }),
      weights: fc.record({ a: unit(0).map((x) => 3 * x), c: unit(0).map((x) => 3 * x) }),
    });
    let emitted = 0;
    fc.assert(
      fc.property(fc.array(fc.array(vote, { maxLength: 80 }), { minLength: 1, maxLength: 4 }), settings, fc.integer({ min: 0, max: 50 }), (raw, config, from) => {
        const to = 200;
        // Each list: one signal per bar at most, in bar order, as decideSeries returns them.
        const lists: SeriesSignals[] = raw.map((votes) => {
          const byBar = new Map<number, (typeof votes)[number]>();
          for (const v of votes) byBar.set(v.bar, v);
          const bars = [...byBar.keys()].filter((b) => b >= from).sort((x, y) => x - y);
          const signals = bars.map((b) => {
            const v = byBar.get(b) as (typeof votes)[number];
            const signed = v.direction === 'sell' ? -v.strength : v.strength;
            return { symbol: 'X/USDT', time: b, direction: v.direction as Signal['direction'], strength: signed, confidence: v.confidence, source: v.source, reason: `${v.source}@${b}` };
          });
          return { bars, signals };
        });
        const whole = new SignalAggregator(sources, config);
        const barByBar = new SignalAggregator(sources, config);
        const times = { time: (i: number) => i * 60_000 };
        const got = whole.voteSeries(whole.votesOf('X/USDT'), times, lists, from, to);
        const want: string[] = [];
        const key = (s: Signal) => `${s.time}|${s.direction}|${s.strength}|${s.confidence}|${s.reason}`;
        for (let t = from; t < to; t++) {
          const signals = lists.flatMap((l) => l.signals.filter((_, k) => l.bars[k] === t));
          const s = barByBar.vote('X/USDT', times.time(t), signals);
          if (s) want.push(`${t}:${key(s)}`);
        }
        expect(got.bars.map((b, k) => `${b}:${key(got.signals[k] as Signal)}`)).toEqual(want);
        expect(JSON.stringify(whole.lastDecision('X/USDT'))).toBe(JSON.stringify(barByBar.lastDecision('X/USDT')));
        // Both memories go on alike: one more bar with a fresh vote.
        const next = [sig('b', 0.9, 0.9)];
        expect(JSON.stringify(whole.combine('X/USDT', times.time(to), next))).toBe(JSON.stringify(barByBar.combine('X/USDT', times.time(to), next)));
        emitted += want.length;
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(emitted, 'aggregate signals over all runs').toBeGreaterThan(1000);
  });
});
