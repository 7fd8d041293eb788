import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle } from '@kairos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCandleDirectory } from '../../src/data/candle-directory';
import { loadCandleFile } from '../../src/data/candle-file';
import { CandleResampler, bucketStart, resampleCandles } from '../../src/history/candle-resampler';
import { HistoryStore } from '../../src/history/history-store';
import { loadStoreCandles } from '../../src/history/load-store-candles';

const DATA = fileURLToPath(new URL('../../../../data/', import.meta.url));
let m5: Candle[];
let h1: Candle[];
beforeAll(async () => {
  m5 = (await loadCandleFile(`${DATA}BTC_USDT-5m.csv.gz`)).candles.slice(0, 12 * 24 * 20); // 20 days from 2024-06-01
  h1 = (await loadCandleFile(`${DATA}BTC_USDT-1h.csv`)).candles;
});

describe('resampling', () => {
  it('5m Binance candles resampled to 1h equal Binance 1h candles (known answer from real data)', () => {
    const got = resampleCandles(m5, '5m', '1h');
    expect(got.length).toBe(480);
    const want = h1.filter((c) => c.time >= (got[0] as Candle).time && c.time <= (got.at(-1) as Candle).time);
    expect(want.length).toBe(480);
    for (let i = 0; i < got.length; i++) {
      const g = got[i] as Candle;
      const w = want[i] as Candle;
      expect([g.time, g.open, g.high, g.low, g.close]).toEqual([w.time, w.open, w.high, w.low, w.close]);
      expect(g.volume).toBeCloseTo(w.volume, 6);
    }
  });

  it('never emits a higher candle before its last lower candle closed (no lookahead)', () => {
    const r = new CandleResampler('5m', '1h');
    const released: Array<{ at: number; candle: Candle }> = [];
    for (const c of m5.slice(0, 30)) for (const out of r.push(c)) released.push({ at: c.time + 300_000, candle: out });
    expect(released.map((x) => x.candle.time)).toEqual([m5[0]?.time, (m5[0]?.time as number) + 3_600_000]);
    for (const x of released) expect(x.at, 'released exactly when the hour closes').toBe(x.candle.time + 3_600_000);
    expect(resampleCandles(m5.slice(0, 30), '5m', '1h').length, 'the unfinished third hour is dropped').toBe(2);
  });

  it('closes a period with a hole when a later period starts, without inventing candles', () => {
    const hour = m5.slice(0, 12);
    const holed = [...hour.slice(0, 5), ...hour.slice(7, 11), ...m5.slice(12, 14)]; // 1st hour lacks 3 candles incl. its last
    const out = resampleCandles(holed, '5m', '1h');
    expect(out.length).toBe(1);
    const kept = [...hour.slice(0, 5), ...hour.slice(7, 11)];
    expect(out[0]?.close).toBe(kept.at(-1)?.close);
    expect(out[0]?.high).toBe(Math.max(...kept.map((c) => c.high)));
  });

  it('aligns weeks to Monday and rejects impossible targets', () => {
    expect(new Date(bucketStart(Date.UTC(2024, 5, 6, 13), '1w')).toISOString()).toBe('2024-06-03T00:00:00.000Z');
    expect(() => new CandleResampler('1h', '5m')).toThrow(/cannot resample/);
  });
});

describe('loadStoreCandles', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kairos-load-'));
    const store = new HistoryStore(root);
    await store.write({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '5m' }, m5);
    await store.write({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, h1.slice(0, 300));
    await store.write({ exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h' }, (await loadCandleFile(`${DATA}ETH_USDT-1h.csv`)).candles.slice(0, 300));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('has the same shape and content as loading the CSV folder', async () => {
    const fromStore = await loadStoreCandles(root, ['BTC/USDT', 'ETH/USDT'], '1h');
    const fromCsv = await loadCandleDirectory(DATA, ['BTC/USDT', 'ETH/USDT'], '1h');
    expect(fromStore.map((l) => [l.symbol, l.timeframe, l.gaps])).toEqual(fromCsv.map((l) => [l.symbol, l.timeframe, l.gaps]));
    expect(fromStore.map((l) => l.candles)).toEqual(fromCsv.map((l) => l.candles.slice(0, 300)));
  });

  it('resamples from a lower stored timeframe when the wanted one is missing', async () => {
    const [l] = await loadStoreCandles(root, ['BTC/USDT'], '4h');
    expect(l?.file, 'the largest stored timeframe dividing 4h is used').toMatch(/binance\/BTC_USDT\/1h$/);
    expect(l?.candles).toEqual(resampleCandles(h1.slice(0, 300), '1h', '4h'));
    expect(l?.candles.length).toBe(75);
    const [fromFive] = await loadStoreCandles(root, ['BTC/USDT'], '15m');
    expect(fromFive?.candles).toEqual(resampleCandles(m5, '5m', '15m'));
  });

  it('names what is missing', async () => {
    await expect(loadStoreCandles(root, ['SOL/USDT'], '1h')).rejects.toThrow(/no 1h candles for SOL\/USDT on binance .* available: BTC\/USDT, ETH\/USDT/);
  });
});
