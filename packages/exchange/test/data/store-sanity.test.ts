import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Candle, DataError } from '@kairos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCandleDirectory } from '../../src/data/candle-directory';
import { loadCandleFile } from '../../src/data/candle-file';
import { HistoryStore } from '../../src/history/history-store';
import { loadStoreCandles } from '../../src/history/load-store-candles';

// Both ways a backtest reads candles (CSV folder, history store) apply the same bounds,
// and the options that accept a jump reach the parser through every loader.

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const candle = (i: number, price: number): Candle => ({ time: T0 + i * H, open: price, high: price * 1.01, low: price * 0.99, close: price, volume: 5 });
// The third candle is 200x the second: a jump over the default factor of 100.
const jumpy = [candle(0, 10), candle(1, 10), candle(2, 2000), candle(3, 2000)];
const text = ['timestamp,open,high,low,close,volume', ...jumpy.map((c) => `${c.time},${c.open},${c.high},${c.low},${c.close},${c.volume}`)].join('\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kairos-sanity-'));
  await writeFile(join(dir, 'JMP_USDT-1h.csv'), text);
  await new HistoryStore(join(dir, 'store')).write({ exchange: 'binance', symbol: 'JMP/USDT', timeframe: '1h' }, jumpy);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sanity options reach every loader', () => {
  it('loadCandleFile and loadCandleDirectory refuse the jump by default and accept it when told', async () => {
    const file = join(dir, 'JMP_USDT-1h.csv');
    await expect(loadCandleFile(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:4: `));
    expect((await loadCandleFile(file, { acceptJumps: true })).candles).toEqual(jumpy);
    await expect(loadCandleDirectory(dir, ['JMP/USDT'], '1h')).rejects.toThrow(DataError);
    const [loaded] = await loadCandleDirectory(dir, ['JMP/USDT'], '1h', { maxJump: 500 });
    expect(loaded?.candles).toEqual(jumpy);
  });

  it('loadStoreCandles applies the same bounds, naming the series and the candle', async () => {
    const store = join(dir, 'store');
    await expect(loadStoreCandles(store, ['JMP/USDT'], '1h')).rejects.toThrow(/JMP_USDT.*2024-01-01T02:00:00\.000Z.*previous close/);
    const [loaded] = await loadStoreCandles(store, ['JMP/USDT'], '1h', { acceptJumps: true });
    expect(loaded?.candles).toEqual(jumpy);
  });
});
