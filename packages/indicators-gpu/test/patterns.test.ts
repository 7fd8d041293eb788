import { describe, expect, it } from 'vitest';
import { detectPatterns, IndicatorError, listPatterns, PatternDetector, type Bar } from '../src/index.js';
import { barAt, loadFixture } from './helpers/fixture-candles.js';

type OHLC = [number, number, number, number];
const bar = ([open, high, low, close]: OHLC): Bar => ({ open, high, low, close, volume: 1 });
/** 7 falling (or rising) bars ending at close 100, so TREND-based rules see a downtrend (uptrend). */
const down: OHLC[] = Array.from({ length: 7 }, (_, k) => [114 - 2 * k, 114.5 - 2 * k, 111.5 - 2 * k, 112 - 2 * k]);
const up: OHLC[] = Array.from({ length: 7 }, (_, k) => [86 + 2 * k, 88.5 + 2 * k, 85.5 + 2 * k, 88 + 2 * k]);

/** [pattern, trend prefix, pattern candles (o, h, l, c), expected signal on the last candle] */
const CASES: [string, OHLC[], OHLC[], number][] = [
  ['doji', down, [[100, 105, 95, 100.5]], 1],
  ['spinning_top', down, [[100, 106, 96, 102]], 1],
  ['marubozu', down, [[100, 110.2, 99.9, 110]], 1],
  ['hammer', down, [[100, 101.05, 95, 101]], 1],
  ['hanging_man', up, [[100, 101.05, 95, 101]], -1],
  ['inverted_hammer', down, [[100, 106, 99.95, 101]], 1],
  ['shooting_star', up, [[100, 106, 99.95, 101]], -1],
  ['engulfing', down, [[102, 102.5, 99.8, 100], [99.5, 103.2, 99.4, 103]], 1],
  ['engulfing', up, [[100, 102.2, 99.8, 102], [102.5, 102.6, 98.8, 99]], -1],
  ['harami', down, [[110, 111, 99, 100], [102, 104.5, 101.5, 104]], 1],
  ['piercing_line', down, [[110, 111, 99, 100], [100, 106.5, 99.8, 106]], 1],
  ['dark_cloud_cover', up, [[100, 111, 99, 110], [110, 110.5, 103.5, 104]], -1],
  ['morning_star', down, [[110, 111, 99, 100], [100, 101, 98, 99.5], [99.5, 106.5, 99.2, 106]], 1],
  ['evening_star', up, [[100, 111, 99, 110], [110, 112, 109, 110.5], [110.5, 110.8, 103.5, 104]], -1],
  ['three_white_soldiers', down, [[100, 104.5, 99.8, 104], [102, 107.5, 101.9, 107], [105, 110.5, 104.9, 110]], 1],
  ['three_black_crows', up, [[110, 110.2, 105.5, 106], [108, 108.1, 102.5, 103], [105, 105.1, 99.5, 100]], -1],
  ['tweezer_top', up, [[100, 105, 99.5, 104], [104, 105.1, 99.6, 100]], -1],
  ['tweezer_bottom', down, [[104, 104.5, 99.5, 100], [100, 104.2, 99.6, 104]], 1],
];

describe('candlestick patterns', () => {
  it('has at least 15 patterns', () => {
    expect(listPatterns().length).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES)('%s fires on its textbook shape', (name, prefix, candles, signal) => {
    const rows = [...prefix, ...candles].map(bar);
    const cols = {
      open: Float64Array.from(rows, (b) => b.open),
      high: Float64Array.from(rows, (b) => b.high),
      low: Float64Array.from(rows, (b) => b.low),
      close: Float64Array.from(rows, (b) => b.close),
    };
    const batch = detectPatterns(cols, { patterns: [name] })[name]!;
    expect(batch[rows.length - 1], 'batch, on the last candle').toBe(signal);
    const det = new PatternDetector({ patterns: [name] });
    let last: readonly { pattern: string; signal: number }[] = [];
    for (const b of rows) last = det.update(b);
    expect(last, 'streaming').toEqual([{ pattern: name, signal }]);
  });

  it('batch equals streaming (with forming bars replaced) on real BTC candles', () => {
    const fx = loadFixture();
    const batch = detectPatterns(fx.inputs);
    const det = new PatternDetector();
    let hits = 0;
    for (let i = 0; i < fx.length; i++) {
      const b = barAt(fx.inputs, i);
      det.update({ ...b, close: b.low, high: b.high * 1.01 });
      const got = det.replace(b);
      for (const [name, col] of Object.entries(batch)) {
        const s = got.find((h) => h.pattern === name)?.signal ?? 0;
        expect(s, `${name} at bar ${i}`).toBe(col[i]);
        if (s !== 0) hits++;
      }
    }
    expect(hits, 'real data triggers some patterns').toBeGreaterThan(10);
  });

  it('rejects unknown patterns and bad candles with typed errors', () => {
    expect(() => detectPatterns({}, { patterns: ['nope'] })).toThrow(IndicatorError);
    const d = new PatternDetector();
    try {
      d.update({ open: 1, high: 1, low: 2, close: 1, volume: 1 });
      expect.unreachable();
    } catch (e) {
      expect((e as IndicatorError).field).toBe('high');
    }
  });
});
