import { IndicatorError } from '../core/indicator-error.js';
import type { Bar, SeriesInputs } from '../core/types.js';
import { validateInputs } from '../core/validate-inputs.js';
import { PATTERNS, patternLookback, type PatternDef } from './pattern-defs.js';

const INPUTS = ['open', 'high', 'low', 'close'] as const;

/** Names of all candlestick patterns. */
export function listPatterns(): readonly { name: string; title: string; bars: number }[] {
  return PATTERNS.map((p) => ({ name: p.name, title: p.title, bars: p.bars }));
}

function select(names?: readonly string[]): readonly PatternDef[] {
  if (!names) return PATTERNS;
  return names.map((n) => {
    const p = PATTERNS.find((d) => d.name === n);
    if (!p) {
      throw new IndicatorError('INDICATOR_UNKNOWN', `unknown pattern '${n}'; known: ${PATTERNS.map((d) => d.name).join(', ')}`, n);
    }
    return p;
  });
}

/**
 * Batch detection: for each pattern an Int8Array with +1 (bullish), -1
 * (bearish) or 0 per bar; a pattern is reported on its last candle, so
 * nothing looks ahead. Bars without enough history read 0.
 */
export function detectPatterns(inputs: SeriesInputs, options: { patterns?: readonly string[] } = {}): Record<string, Int8Array> {
  const [o, h, l, c] = validateInputs('patterns', INPUTS, inputs) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const n = c.length;
  const out: Record<string, Int8Array> = {};
  for (const p of select(options.patterns)) {
    const r = new Int8Array(n);
    for (let i = patternLookback(p); i < n; i++) r[i] = p.detect(o, h, l, c, i);
    out[p.name] = r;
  }
  return out;
}

/** One pattern found on the latest bar. */
export interface PatternHit {
  readonly pattern: string;
  /** +1 bullish, -1 bearish. */
  readonly signal: number;
}

/**
 * Streaming detection with the same rules as {@link detectPatterns}: keeps
 * only the last few bars (a fixed window), so update() and replace() are O(1).
 */
export class PatternDetector {
  private readonly defs: readonly PatternDef[];
  private readonly w: number;
  private readonly o: Float64Array;
  private readonly h: Float64Array;
  private readonly l: Float64Array;
  private readonly c: Float64Array;
  private n = 0;

  constructor(options: { patterns?: readonly string[] } = {}) {
    this.defs = select(options.patterns);
    this.w = Math.max(1, ...this.defs.map(patternLookback)) + 1;
    this.o = new Float64Array(this.w);
    this.h = new Float64Array(this.w);
    this.l = new Float64Array(this.w);
    this.c = new Float64Array(this.w);
  }

  /** Bars fed so far. */
  get count(): number {
    return this.n;
  }

  /** Feed the next closed bar; returns the patterns completed on it. */
  update(bar: Bar): readonly PatternHit[] {
    check(bar, this.n);
    // Shift the window left by one (it is a handful of bars) and append.
    this.o.copyWithin(0, 1);
    this.h.copyWithin(0, 1);
    this.l.copyWithin(0, 1);
    this.c.copyWithin(0, 1);
    this.n++;
    return this.put(bar);
  }

  /** Replace the last bar (still forming) and re-detect. */
  replace(bar: Bar): readonly PatternHit[] {
    if (this.n === 0) throw new IndicatorError('INDICATOR_BAD_STATE', 'patterns: replace() called before any update()');
    check(bar, this.n - 1);
    return this.put(bar);
  }

  private put(bar: Bar): readonly PatternHit[] {
    const i = this.w - 1;
    this.o[i] = bar.open;
    this.h[i] = bar.high;
    this.l[i] = bar.low;
    this.c[i] = bar.close;
    const hits: PatternHit[] = [];
    for (const p of this.defs) {
      if (this.n - 1 < patternLookback(p)) continue;
      const s = p.detect(this.o, this.h, this.l, this.c, i);
      if (s !== 0) hits.push({ pattern: p.name, signal: s });
    }
    return hits;
  }
}

function check(bar: Bar, index: number): void {
  for (const k of INPUTS) {
    const v = bar[k];
    if (!(v > 0 && v < Infinity)) {
      throw new IndicatorError('INDICATOR_BAD_INPUT', `patterns: bar.${k} is ${v}, expected a finite price > 0 (bar #${index})`, k);
    }
  }
  if (bar.high < bar.low) throw new IndicatorError('INDICATOR_BAD_INPUT', `patterns: bar.high (${bar.high}) is below bar.low (${bar.low})`, 'high');
}
