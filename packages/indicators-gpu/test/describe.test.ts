import { describe, expect, it } from 'vitest';
import { computeIndicator, describeIndicators, getIndicator, IndicatorError, listIndicators } from '../src/index.js';
import { loadFixture } from './helpers/fixture-candles.js';

describe('registry and CLI helpers', () => {
  it('has at least 50 built-in indicators with unique lower-case names', () => {
    const names = listIndicators().map((s) => s.name);
    expect(names.length).toBeGreaterThanOrEqual(50);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('describes every indicator as plain JSON with defaults, ranges and warm-up', () => {
    const all = describeIndicators();
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);
    const ema = all.find((d) => d.name === 'ema')!;
    expect(ema).toMatchObject({ inputs: ['close'], outputs: ['value'], warmup: 19 });
    expect(ema.parameters).toEqual([{ name: 'period', type: 'integer', default: 20, minimum: 1, maximum: 10_000 }]);
    expect(all.find((d) => d.name === 'bbands')!.notes).toMatch(/population/i);
  });

  it('unknown names throw INDICATOR_UNKNOWN listing the known ones', () => {
    try {
      getIndicator('nope');
      expect.unreachable();
    } catch (e) {
      expect((e as IndicatorError).code).toBe('INDICATOR_UNKNOWN');
      expect((e as Error).message).toContain('ema');
    }
  });

  it('computeIndicator coerces CLI strings and reports resolved params and warm-up', () => {
    const r = computeIndicator('macd', loadFixture().inputs, { fast: '5', slow: '35' });
    expect(r.params).toEqual({ fast: 5, slow: 35, signal: 9 });
    expect(r.warmup).toBe(42);
    expect(Number.isNaN(r.outputs.macd![41]!) && Number.isFinite(r.outputs.macd![42]!)).toBe(true);
    expect(() => computeIndicator('macd', loadFixture().inputs, { fast: 'x' })).toThrow(/'fast'/);
  });
});

describe('defineIndicator guards', () => {
  it('rejects unknown input names and duplicate outputs', async () => {
    const { defineIndicator } = await import('../src/index.js');
    const { z } = await import('zod');
    const kernel = { layout: () => ({ size: 0, hot: 0 }), run: () => undefined };
    const base = { name: 'x', title: 'X', params: z.object({}), warmup: () => 0, kernel };
    expect(() => defineIndicator({ ...base, inputs: ['close; evil' as never], outputs: ['value'] })).toThrow(/is not one of/);
    expect(() => defineIndicator({ ...base, inputs: ['close'], outputs: ['a', 'a'] })).toThrow(/unique/);
    expect(() => defineIndicator({ ...base, name: 'Bad Name', inputs: ['close'], outputs: ['a'] })).toThrow(/lower-case/);
  });
});
