import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle } from '@kairos/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/data/candle-file';
import { HistoryStore } from '../../src/history/history-store';
import type { SeriesKey } from '../../src/history/series-key';

const DATA = fileURLToPath(new URL('../../../../data/', import.meta.url));
const KEY: SeriesKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };

let root: string;
let candles: Candle[];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kairos-store-'));
  candles = (await loadCandleFile(`${DATA}BTC_USDT-1h.csv`)).candles;
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('HistoryStore', () => {
  it('writes one file per UTC month and reads back any range', async () => {
    const store = new HistoryStore(root);
    const manifest = await store.write(KEY, candles);
    expect(await store.months(KEY)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09']);
    expect(manifest.count).toBe(candles.length);
    expect(manifest.first).toBe(candles[0]?.time);
    expect(manifest.last).toBe(candles.at(-1)?.time);
    expect(manifest.gaps, 'the bundled 2024 series has no holes').toEqual([]);
    const from = Date.UTC(2024, 1, 28, 22);
    const to = Date.UTC(2024, 2, 1, 3);
    const part = await store.read(KEY, { from, to });
    expect(part).toEqual(candles.filter((c) => c.time >= from && c.time < to));
    expect(part.length, 'a range across a month boundary reads both files').toBe(29);
    expect(await store.read(KEY)).toEqual(candles);
    expect(await store.listSeries()).toEqual([KEY]);
    expect(await store.lastTime(KEY)).toBe(candles.at(-1)?.time);
  });

  it('merges overlapping writes, and rewriting the same candles touches no file', async () => {
    const store = new HistoryStore(root);
    await store.write(KEY, candles.slice(0, 1000));
    await store.write(KEY, candles.slice(800, 2000));
    expect(await store.read(KEY)).toEqual(candles.slice(0, 2000));
    const dir = store.seriesDir(KEY);
    const before = await Promise.all((await readdir(dir)).map(async (n) => [n, (await stat(join(dir, n))).mtimeMs, await readFile(join(dir, n))] as const));
    await new Promise((r) => setTimeout(r, 20));
    await store.write(KEY, candles.slice(500, 1500));
    const after = await Promise.all((await readdir(dir)).map(async (n) => [n, (await stat(join(dir, n))).mtimeMs, await readFile(join(dir, n))] as const));
    expect(after, 'no byte and no mtime changed').toEqual(before);
  });

  it('records gaps in the manifest, inside a month and across months', async () => {
    const store = new HistoryStore(root);
    const holed = candles.filter((c, i) => !(i >= 100 && i < 105) && !(c.time >= Date.UTC(2024, 0, 31, 20) && c.time < Date.UTC(2024, 1, 1, 2)));
    const m = await store.write(KEY, holed);
    expect(m.gaps).toEqual([
      { from: candles[99]?.time, to: candles[105]?.time, missing: 5 },
      { from: Date.UTC(2024, 0, 31, 19), to: Date.UTC(2024, 1, 1, 2), missing: 6 },
    ]);
    expect(m.missing).toBe(11);
    expect(JSON.parse(await readFile(join(store.seriesDir(KEY), 'manifest.json'), 'utf8'))).toEqual(m);
  });

  it('rejects an invalid candle, naming the series and the time, and writes nothing', async () => {
    const store = new HistoryStore(root);
    const bad = candles.slice(0, 3).map((c, i) => (i === 2 ? { ...c, low: c.high * 2 } : c));
    await expect(store.write(KEY, bad)).rejects.toThrow(/binance\/BTC_USDT\/1h: candle at 2024-01-01T02:00:00.000Z: high .* < low/);
    expect(await store.months(KEY)).toEqual([]);
  });

  it('ignores and sweeps temporary files left by a crashed writer', async () => {
    const store = new HistoryStore(root);
    await store.write(KEY, candles.slice(0, 10));
    await writeFile(join(store.seriesDir(KEY), '.2024-01.kcc.tmp-999-dead'), 'partial');
    expect(await store.read(KEY)).toEqual(candles.slice(0, 10));
    expect(await store.sweepTemporaries(KEY)).toBe(1);
    expect((await readdir(store.seriesDir(KEY))).sort()).toEqual(['2024-01.kcc', 'manifest.json']);
  });

  it('refuses ids that would escape the store root', () => {
    const store = new HistoryStore(root);
    expect(() => store.seriesDir({ ...KEY, exchange: '../x' })).toThrow(/exchange/);
    expect(() => store.seriesDir({ ...KEY, symbol: '../../etc' })).toThrow(/symbol/);
  });
});
