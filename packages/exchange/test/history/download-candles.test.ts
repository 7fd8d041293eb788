import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Candle, DataError, KairosError } from '@kairos/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/data/candle-file';
import { downloadCandles } from '../../src/history/download-candles';
import { HistoryStore } from '../../src/history/history-store';
import type { SeriesKey } from '../../src/history/series-key';
import { PagedCandleSource } from './paged-candle-source';

const DATA = fileURLToPath(new URL('../../../../data/', import.meta.url));
const HOUR = 3_600_000;
const SINCE = Date.UTC(2024, 0, 1);
const UNTIL = Date.UTC(2024, 3, 1); // three months: 2184 hourly candles
const KEY: SeriesKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };

let btc: Candle[];
let dirs: string[] = [];
beforeAll(async () => {
  btc = (await loadCandleFile(`${DATA}BTC_USDT-1h.csv`)).candles;
});
beforeEach(() => {
  dirs = [];
});
afterEach(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempStore(): Promise<HistoryStore> {
  const d = await mkdtemp(join(tmpdir(), 'kairos-dl-'));
  dirs.push(d);
  return new HistoryStore(d);
}

/** Every file under `root` with its bytes, by relative path. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = join(e.parentPath, e.name);
      out[relative(root, p)] = (await readFile(p)).toString('base64');
    }
  }
  return out;
}

const base = { series: KEY, since: SINCE, until: UNTIL, pageLimit: 200, flushEvery: 400, now: () => Date.UTC(2025, 0, 1), sleep: async () => {} };

describe('downloadCandles', () => {
  it('back-fills with pagination and stores exactly the requested closed candles', async () => {
    const store = await tempStore();
    const source = new PagedCandleSource({ 'BTC/USDT': btc });
    const r = await downloadCandles({ ...base, source, store });
    const want = btc.filter((c) => c.time >= SINCE && c.time < UNTIL);
    expect(want.length).toBe(2184);
    expect(await store.read(KEY)).toEqual(want);
    expect(r.fetched).toBe(2184);
    expect(r.requests, '2184 candles in pages of 200 need 11 requests').toBe(11);
    expect(source.calls.map((c) => c.since).slice(0, 3)).toEqual([SINCE, SINCE + 200 * HOUR, SINCE + 400 * HOUR]);
    expect(r.gaps).toEqual([]);
    expect(await store.months(KEY)).toEqual(['2024-01', '2024-02', '2024-03']);
  });

  it('an interrupted back-fill, re-run, ends with the same files as an uninterrupted one', async () => {
    const whole = await tempStore();
    await downloadCandles({ ...base, source: new PagedCandleSource({ 'BTC/USDT': btc }), store: whole });

    const broken = await tempStore();
    const flaky = new PagedCandleSource({ 'BTC/USDT': btc });
    flaky.failOn.set(6, false); // a non-retryable failure half-way through
    await expect(downloadCandles({ ...base, source: flaky, store: broken })).rejects.toThrow(/injected failure on call 6/);
    const partial = await broken.read(KEY);
    expect(partial.length, 'what was flushed before the failure is kept').toBe(800);
    expect(await snapshot(broken.root)).not.toEqual(await snapshot(whole.root));

    const again = new PagedCandleSource({ 'BTC/USDT': btc });
    const r = await downloadCandles({ ...base, source: again, store: broken });
    expect(r.resumedFrom, 'resumes after the last stored candle').toBe((partial.at(-1) as Candle).time + HOUR);
    expect(again.calls[0]?.since).toBe(r.resumedFrom);
    expect(r.fetched).toBe(2184 - 800);
    expect(await snapshot(broken.root), 'byte-identical store').toEqual(await snapshot(whole.root));

    const idle = new PagedCandleSource({ 'BTC/USDT': btc });
    const r2 = await downloadCandles({ ...base, source: idle, store: broken });
    expect(r2.fetched, 'a third run finds nothing to do').toBe(0);
    expect(idle.calls.length, 'and asks nothing once the range is complete').toBe(0);
    expect(await snapshot(broken.root)).toEqual(await snapshot(whole.root));
  });

  it('detects and reports a gap the server left, in the result and the manifest', async () => {
    const store = await tempStore();
    const holeFrom = Date.UTC(2024, 1, 10, 5);
    const holeTo = Date.UTC(2024, 1, 10, 17); // 12 hours missing: 05:00 .. 16:00
    const holed = btc.filter((c) => c.time < holeFrom || c.time >= holeTo);
    const r = await downloadCandles({ ...base, source: new PagedCandleSource({ 'BTC/USDT': holed }), store });
    const gap = { from: holeFrom - HOUR, to: holeTo, missing: 12 };
    expect(r.gaps).toEqual([gap]);
    expect((await store.manifest(KEY))?.gaps).toEqual([gap]);
    expect(r.manifest.missing).toBe(12);
  });

  it('retries retryable errors and gives up on the rest', async () => {
    const store = await tempStore();
    const source = new PagedCandleSource({ 'BTC/USDT': btc });
    source.failOn.set(2, true);
    source.failOn.set(3, true);
    const waits: number[] = [];
    const r = await downloadCandles({ ...base, until: SINCE + 500 * HOUR, source, store, retryDelayMs: 10, sleep: async (ms) => void waits.push(ms) });
    expect(r.fetched).toBe(500);
    expect(waits, 'backs off longer on each attempt').toEqual([10, 20]);
    const hard = new PagedCandleSource({ 'BTC/USDT': btc });
    for (let i = 1; i <= 3; i++) hard.failOn.set(i, true);
    await expect(downloadCandles({ ...base, source: hard, store: await tempStore() })).rejects.toBeInstanceOf(KairosError);
    expect(hard.calls.length, 'three attempts, then the error surfaces').toBe(3);
  });

  it('stores only closed candles and extends the series on a later run', async () => {
    const store = await tempStore();
    const source = new PagedCandleSource({ 'BTC/USDT': btc });
    const now = SINCE + 50 * HOUR + 1234; // candle 50 is still forming
    await downloadCandles({ ...base, until: undefined, source, store, now: () => now });
    expect((await store.read(KEY)).length).toBe(50);
    await downloadCandles({ ...base, until: undefined, source, store, now: () => now + 10 * HOUR });
    expect(await store.read(KEY)).toEqual(btc.slice(0, 60));
  });

  it('fills an earlier start without refetching what is stored', async () => {
    const store = await tempStore();
    await downloadCandles({ ...base, since: SINCE + 100 * HOUR, until: SINCE + 300 * HOUR, source: new PagedCandleSource({ 'BTC/USDT': btc }), store });
    const source = new PagedCandleSource({ 'BTC/USDT': btc });
    const r = await downloadCandles({ ...base, until: SINCE + 300 * HOUR, source, store });
    expect(r.fetched).toBe(100);
    expect(await store.read(KEY)).toEqual(btc.slice(0, 300));
  });

  it('rejects an invalid candle from the source, naming the series and time', async () => {
    const bad = btc.slice(0, 300).map((c, i) => (i === 250 ? { ...c, open: -1 } : c));
    const run = downloadCandles({ ...base, source: new PagedCandleSource({ 'BTC/USDT': bad }), store: await tempStore() });
    await expect(run).rejects.toBeInstanceOf(DataError);
    await expect(run).rejects.toThrow('binance BTC/USDT 1h: candle at 2024-01-11T10:00:00.000Z: prices must be positive');
  });
});
