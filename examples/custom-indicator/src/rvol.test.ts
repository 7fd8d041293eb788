import { readFileSync } from 'node:fs';
import { computeManySync, createRegistry } from '@kairos/indicators-gpu';
import { describe, expect, it } from 'vitest';
import { rvol } from './rvol.js';

// Real BTC/USDT 1h volumes from the indicators package's committed fixture.
const csv = readFileSync(new URL('../../../packages/indicators-gpu/test/fixtures/btc-usdt-1h-500.csv', import.meta.url), 'utf8');
const volume = Float64Array.from(csv.trim().split('\n').slice(1), (l) => Number(l.split(',')[5]));

describe('custom indicator: rvol', () => {
  const batch = rvol.batch({ volume }, { period: 10 }).value!;

  it('matches a naive computation after its warm-up', () => {
    for (let i = 0; i < volume.length; i++) {
      if (i < 10) {
        expect(batch[i]).toBeNaN();
        continue;
      }
      let s = 0;
      for (let k = i - 10; k < i; k++) s += volume[k]!;
      expect(batch[i]).toBeCloseTo(volume[i]! / (s / 10), 9);
    }
  });

  it('gets streaming for free (same numbers, replace() of a forming bar included)', () => {
    const s = rvol.stream({ period: 10 });
    volume.forEach((v, i) => {
      s.update({ open: 1, high: 1, low: 1, close: 1, volume: v * 3 });
      const r = s.replace({ open: 1, high: 1, low: 1, close: 1, volume: v });
      if (i >= 10) expect(r.value).toBeCloseTo(batch[i]!, 12);
    });
  });

  it('gets multi-series for free', () => {
    const res = computeManySync(rvol, [{ volume }, { volume: volume.slice(100) }], [{ period: 10 }, { period: 30 }]);
    expect(res.backend).toBe('cpu');
    expect(res.outputs[0]![0]!.value!.at(-1)).toBeCloseTo(batch.at(-1)!, 12);
  });

  it('can be registered next to the built-ins', () => {
    const registry = createRegistry([rvol]);
    expect(registry.get('rvol')).toBe(rvol);
    expect(registry.get('ema').spec.title).toBe('Exponential Moving Average');
  });

  it('inherits input validation and typed errors', () => {
    expect(() => rvol.batch({ volume: Float64Array.of(1, NaN) })).toThrow(/'volume'/);
    expect(() => rvol.parseParams({ period: 1 })).toThrow(/'period'/);
  });
});
