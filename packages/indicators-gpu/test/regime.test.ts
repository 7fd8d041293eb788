import { describe, expect, it } from 'vitest';
import { detectRegime, IndicatorError, RegimeDetector, regimeName, regimeWarmup, parseRegimeParams } from '../src/index.js';
import { barAt, loadFixture } from './helpers/fixture-candles.js';

const fx = loadFixture();
const params = { volLookback: 100 };

function flips(codes: Int8Array): number {
  let n = 0;
  for (let i = 1; i < codes.length; i++) if (codes[i] !== codes[i - 1] && codes[i - 1] !== -1) n++;
  return n;
}

describe('market regime', () => {
  it('is unknown during warm-up, then classifies every bar', () => {
    const r = detectRegime(fx.inputs, params);
    const w = regimeWarmup(parseRegimeParams(params));
    expect(r.regime[w - 1]).toBe(-1);
    for (let i = w; i < fx.length; i++) expect(r.regime[i], `bar ${i}`).toBeGreaterThanOrEqual(0);
    const seen = new Set(Array.from(r.regime.subarray(w), regimeName));
    expect(seen.has('trend') && seen.has('range'), [...seen].join(',')).toBe(true);
  });

  it('streaming (with replaced forming bars) equals batch', () => {
    const r = detectRegime(fx.inputs, params);
    const d = new RegimeDetector(params);
    for (let i = 0; i < fx.length; i++) {
      const b = barAt(fx.inputs, i);
      d.update({ ...b, close: b.high, low: b.low * 0.98 });
      expect(d.replace(b), `bar ${i}`).toBe(regimeName(r.regime[i]!));
    }
  });

  it('hysteresis flips less often than a single threshold', () => {
    const hyst = detectRegime(fx.inputs, params).regime;
    const none = detectRegime(fx.inputs, { ...params, adxExit: 25, erExit: 0.3, volExit: 0.9 }).regime;
    expect(flips(hyst)).toBeLessThan(flips(none));
  });

  it('rejects exit thresholds beyond entry ones, naming the param', () => {
    try {
      detectRegime(fx.inputs, { adxEnter: 20, adxExit: 30 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IndicatorError);
      expect((e as IndicatorError).field).toBe('adxExit');
    }
  });
});
