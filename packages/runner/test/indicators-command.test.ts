import { getIndicator } from '@kairos/indicators-gpu';
import { loadCandleFile } from '@kairos/exchange';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { defaultDataDir } from '../src/wiring/data-dir';
import { captureIo } from './capture-io';

const file = `${defaultDataDir()}/BTC_USDT-1h.csv`;

describe('kairos indicators', () => {
  it('lists 50+ indicators with inputs, parameter ranges and defaults, outputs and warm-up', async () => {
    const io = captureIo();
    expect(await main(['indicators', 'list', '--json'], io)).toBe(0);
    const list = JSON.parse(io.stdout[0] as string) as Array<{ name: string; inputs: string[]; outputs: string[]; warmup: number; parameters: Array<{ name: string; default?: unknown; min?: number; max?: number }> }>;
    expect(list.length).toBeGreaterThanOrEqual(50);
    const rsi = list.find((s) => s.name === 'rsi');
    expect(rsi?.inputs).toEqual(['close']);
    expect(rsi?.warmup).toBe(14);
    const period = rsi?.parameters.find((p) => p.name === 'period');
    expect(period?.default).toBe(14);
    expect(period?.min).toBeGreaterThanOrEqual(1);
    expect(period?.max).toBeGreaterThan(14);
  });

  it('computes an indicator over a candle file, null during warm-up, equal to the library', async () => {
    const io = captureIo();
    expect(await main(['indicators', 'compute', '--name', 'rsi', '--param', 'period=14', '--file', file, '--json'], io), io.stderr.join()).toBe(0);
    const out = JSON.parse(io.stdout[0] as string) as { indicator: string; params: Record<string, unknown>; outputs: Record<string, Array<number | null>> };
    expect(out.indicator).toBe('rsi');
    expect(out.params).toMatchObject({ period: 14 });
    const values = out.outputs.value as Array<number | null>;
    const { candles } = await loadCandleFile(file);
    expect(values).toHaveLength(candles.length);
    expect(values.slice(0, 14).every((v) => v === null)).toBe(true);
    const ref = getIndicator('rsi').batch({ close: Float64Array.from(candles, (c) => c.close) }, { period: 14 }).value as Float64Array;
    expect(values[100]).toBe(ref[100]);
    expect(values.at(-1)).toBe(ref.at(-1));
  });

  it('names the bad flag', async () => {
    for (const [args, key] of [
      [['--name', 'nope', '--file', file], '--name'],
      [['--name', 'rsi', '--param', 'period=0', '--file', file], '--param'],
      [['--name', 'rsi'], '--file'],
    ] as const) {
      const io = captureIo();
      expect(await main(['indicators', 'compute', ...args], io)).toBe(2);
      expect(io.stderr.join('\n')).toContain(key);
    }
  });
});
