import { z } from 'zod';
import { IndicatorError } from '../core/indicator-error.js';
import { parseParams } from '../core/parse-params.js';
import type { Bar, SeriesInputs, StreamingIndicator } from '../core/types.js';
import { validateInputs } from '../core/validate-inputs.js';
import { adx } from '../indicators/adx.js';
import { er } from '../indicators/er.js';
import { natr } from '../indicators/natr.js';

/** Market regime per bar. */
export type Regime = 'unknown' | 'range' | 'trend' | 'high-volatility';
/** Numeric codes used in batch output (Int8Array). */
export const REGIME_CODES = { unknown: -1, range: 0, trend: 1, 'high-volatility': 2 } as const satisfies Record<Regime, number>;
const NAMES: Record<number, Regime> = { [-1]: 'unknown', 0: 'range', 1: 'trend', 2: 'high-volatility' };

/**
 * Thresholds with hysteresis: a regime is entered at the `enter` level and
 * left only past the looser `exit` level, so a reading hovering at a
 * threshold does not flip the regime every bar.
 */
export const regimeParams = z.object({
  adxPeriod: z.number().int().min(2).max(500).default(14),
  erPeriod: z.number().int().min(2).max(500).default(20),
  atrPeriod: z.number().int().min(2).max(500).default(14),
  /** Bars over which the current NATR is ranked (percentile). */
  volLookback: z.number().int().min(10).max(5000).default(200),
  adxEnter: z.number().min(0).max(100).default(25),
  adxExit: z.number().min(0).max(100).default(20),
  erEnter: z.number().min(0).max(1).default(0.3),
  erExit: z.number().min(0).max(1).default(0.2),
  volEnter: z.number().min(0).max(1).default(0.9),
  volExit: z.number().min(0).max(1).default(0.75),
});
export type RegimeParams = z.output<typeof regimeParams>;

function check(p: RegimeParams): string | undefined {
  if (p.adxExit > p.adxEnter) return `'adxExit' (${p.adxExit}) must not exceed 'adxEnter' (${p.adxEnter})`;
  if (p.erExit > p.erEnter) return `'erExit' (${p.erExit}) must not exceed 'erEnter' (${p.erEnter})`;
  if (p.volExit > p.volEnter) return `'volExit' (${p.volExit}) must not exceed 'volEnter' (${p.volEnter})`;
  return undefined;
}

/** Validate + default regime params (IndicatorError naming the param). */
export function parseRegimeParams(params?: Partial<RegimeParams>): RegimeParams {
  return parseParams('regime', regimeParams, params, check);
}

/** Bars before the first regime other than 'unknown'. */
export function regimeWarmup(p: RegimeParams): number {
  return Math.max(adx.spec.warmup({ period: p.adxPeriod }), p.erPeriod, p.atrPeriod + p.volLookback - 1);
}

/**
 * The per-bar decision, shared by batch and streaming so both agree: the
 * NATR percentile over the last `volLookback` NATR values, then the
 * hysteresis rules. High volatility wins over trend; otherwise trend needs
 * both ADX and efficiency ratio.
 */
class RegimeCore {
  private readonly ring: Float64Array;
  private head = 0;
  private filled = 0;
  private code = -1;
  volPct = NaN;

  constructor(private readonly p: RegimeParams) {
    this.ring = new Float64Array(p.volLookback);
  }

  /** Snapshot for replace(): the ring slot written last is restored by the caller's re-run. */
  save(): [number, number, number, number, number] {
    return [this.head, this.filled, this.code, this.volPct, this.ring[this.head]!];
  }

  restore(s: readonly [number, number, number, number, number]): void {
    [this.head, this.filled, this.code, this.volPct] = s;
    this.ring[this.head] = s[4];
  }

  step(adxV: number, erV: number, natrV: number): number {
    if (natrV === natrV) {
      this.ring[this.head] = natrV;
      this.head = this.head + 1 === this.ring.length ? 0 : this.head + 1;
      if (this.filled < this.ring.length) this.filled++;
    }
    if (this.filled < this.ring.length || adxV !== adxV || erV !== erV) return (this.code = -1);
    // Percentile rank of the latest NATR among the window (O(volLookback)).
    let below = 0;
    for (let k = 0; k < this.ring.length; k++) if (this.ring[k]! <= natrV) below++;
    const pct = below / this.ring.length;
    this.volPct = pct;
    const p = this.p;
    const prev = this.code;
    const highVol = prev === 2 ? pct >= p.volExit : pct >= p.volEnter;
    const trend = prev === 1 ? adxV >= p.adxExit && erV >= p.erExit : adxV >= p.adxEnter && erV >= p.erEnter;
    this.code = highVol ? 2 : trend ? 1 : 0;
    return this.code;
  }
}

/** Batch regime detection; also returns the series it decided on. */
export interface RegimeSeries {
  /** REGIME_CODES per bar. */
  readonly regime: Int8Array;
  readonly adx: Float64Array;
  readonly er: Float64Array;
  readonly natr: Float64Array;
  /** Percentile (0..1) of NATR within the lookback. */
  readonly volPercentile: Float64Array;
}

/** Trend / range / high-volatility per bar from ADX, efficiency ratio and NATR percentile, with hysteresis. */
export function detectRegime(inputs: SeriesInputs, params?: Partial<RegimeParams>): RegimeSeries {
  const p = parseRegimeParams(params);
  validateInputs('regime', ['high', 'low', 'close'], inputs);
  const a = adx.batch(inputs, { period: p.adxPeriod }).adx!;
  const e = er.batch(inputs, { period: p.erPeriod }).value!;
  const v = natr.batch(inputs, { period: p.atrPeriod }).value!;
  const core = new RegimeCore(p);
  const n = a.length;
  const regime = new Int8Array(n);
  const pct = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    regime[i] = core.step(a[i]!, e[i]!, v[i]!);
    pct[i] = regime[i] === -1 ? NaN : core.volPct;
  }
  return { regime, adx: a, er: e, natr: v, volPercentile: pct };
}

/** The name of a regime code. */
export function regimeName(code: number): Regime {
  return NAMES[code] ?? 'unknown';
}

/** Streaming regime detection for one symbol; same decisions as {@link detectRegime}. */
export class RegimeDetector {
  private readonly core: RegimeCore;
  private readonly adx: StreamingIndicator;
  private readonly er: StreamingIndicator;
  private readonly natr: StreamingIndicator;
  private saved: [number, number, number, number, number] | undefined;

  constructor(params?: Partial<RegimeParams>) {
    const p = parseRegimeParams(params);
    this.core = new RegimeCore(p);
    this.adx = adx.stream({ period: p.adxPeriod });
    this.er = er.stream({ period: p.erPeriod });
    this.natr = natr.stream({ period: p.atrPeriod });
  }

  get count(): number {
    return this.adx.count;
  }

  /** Feed the next closed bar. */
  update(bar: Bar): Regime {
    const a = this.adx.update(bar).adx!;
    const e = this.er.update(bar).value!;
    const v = this.natr.update(bar).value!;
    this.saved = this.core.save();
    return regimeName(this.core.step(a, e, v));
  }

  /** Replace the last bar (still forming). */
  replace(bar: Bar): Regime {
    if (!this.saved) throw new IndicatorError('INDICATOR_BAD_STATE', 'regime: replace() called before any update()');
    const a = this.adx.replace(bar).adx!;
    const e = this.er.replace(bar).value!;
    const v = this.natr.replace(bar).value!;
    this.core.restore(this.saved);
    return regimeName(this.core.step(a, e, v));
  }
}
