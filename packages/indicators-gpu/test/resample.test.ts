import { describe, expect, it } from 'vitest';
import { bucketStart, IndicatorError, resampleCandles, Resampler, timeframeMs, type Candle } from '../src/index.js';
import { loadFixture } from './helpers/fixture-candles.js';

const fx = loadFixture();
const hourly: Candle[] = Array.from({ length: fx.length }, (_, i) => ({
  time: fx.time[i]!,
  open: fx.inputs.open[i]!,
  high: fx.inputs.high[i]!,
  low: fx.inputs.low[i]!,
  close: fx.inputs.close[i]!,
  volume: fx.inputs.volume[i]!,
}));
const H = 3_600_000;

function aggregate(cs: Candle[], time: number): Candle {
  return {
    time,
    open: cs[0]!.open,
    high: Math.max(...cs.map((c) => c.high)),
    low: Math.min(...cs.map((c) => c.low)),
    close: cs.at(-1)!.close,
    volume: cs.reduce((s, c) => s + c.volume, 0),
  };
}

describe('resampling', () => {
  it('1h -> 1d gives only closed days (the trailing partial day is withheld)', () => {
    const days = resampleCandles(hourly, { to: '1d' });
    expect(days.length, '500 hours = 20 full days + 20 hours').toBe(20);
    days.forEach((d, k) => {
      expect(d.time).toBe(hourly[0]!.time + k * 24 * H);
      const hs = hourly.slice(k * 24, k * 24 + 24);
      expect(d.volume).toBeCloseTo(aggregate(hs, d.time).volume, 6);
      expect({ ...d, volume: 0 }).toEqual({ ...aggregate(hs, d.time), volume: 0 });
    });
  });

  it('streams each day exactly at its last hour, never earlier', () => {
    const r = new Resampler({ to: '1d', from: '1h' });
    hourly.forEach((h, i) => {
      const out = r.update(h);
      if ((i + 1) % 24 === 0) expect(out.map((c) => c.time)).toEqual([bucketStart(h.time, 86_400_000)]);
      else expect(out, `hour ${i}`).toEqual([]);
    });
    expect(r.current()?.time, 'the forming day is visible but not emitted').toBe(hourly[480]!.time);
  });

  it('chains: 1h -> 4h -> 1d equals 1h -> 1d', () => {
    const fourH = resampleCandles(hourly, { to: '4h', from: '1h' });
    const viaFour = resampleCandles(fourH, { to: '1d', from: '4h' });
    const direct = resampleCandles(hourly, { to: '1d' });
    expect(viaFour.length).toBe(direct.length);
    viaFour.forEach((d, k) => {
      expect(d.close).toBe(direct[k]!.close);
      expect(d.high).toBe(direct[k]!.high);
      expect(d.volume).toBeCloseTo(direct[k]!.volume, 6);
    });
  });

  it('a missing last sub-candle closes the bucket when the next one starts', () => {
    const gapped = hourly.filter((_, i) => i !== 23);
    const r = new Resampler({ to: '1d', from: '1h' });
    const emitted: number[] = [];
    gapped.forEach((h, i) => r.update(h).forEach(() => emitted.push(i)));
    expect(emitted[0], 'day 1 closes on the first hour of day 2').toBe(23);
  });

  it('replace() of a forming sub-candle is reflected in the bucket', () => {
    const r = new Resampler({ to: '4h', from: '1h' });
    for (let i = 0; i < 3; i++) r.update(hourly[i]!);
    r.update({ ...hourly[3]!, close: hourly[3]!.close * 1.01, high: hourly[3]!.high * 1.02 });
    const [four] = r.replace(hourly[3]!);
    expect(four).toEqual(aggregate(hourly.slice(0, 4), hourly[0]!.time));
  });

  it('aligns weeks to Monday 00:00 UTC and parses timeframes', () => {
    expect(bucketStart(Date.UTC(2024, 0, 3, 15), timeframeMs('1w'))).toBe(Date.UTC(2024, 0, 1));
    expect(timeframeMs('15m')).toBe(900_000);
    expect(() => timeframeMs('5x')).toThrow(IndicatorError);
  });

  it('rejects out-of-order candles naming the time', () => {
    const r = new Resampler({ to: '1d' });
    r.update(hourly[1]!);
    try {
      r.update(hourly[0]!);
      expect.unreachable();
    } catch (e) {
      expect((e as IndicatorError).field).toBe('time');
    }
  });
});
