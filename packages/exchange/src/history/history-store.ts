import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Candle, DataError, isTimeframe, timeframeMs } from '@kairos/core';
import type { CandleGap } from '../data/candle-file';
import { candleProblem } from '../data/candle-check';
import { TEMP_MARK, writeFileAtomic } from './atomic-write';
import { decodeCandleColumns, encodeCandleColumns, readCandleColumnsHeader } from './candle-columns';
import { type ManifestFile, type SeriesManifest, findGaps } from './series-manifest';
import { type SeriesKey, monthOf, monthStart, nextMonthStart, seriesPath } from './series-key';

const MONTH_FILE = /^(\d{4}-\d{2})\.kcc$/;
const MANIFEST = 'manifest.json';

/** Optional open-time bounds (ms): `from` inclusive, `to` exclusive. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

/**
 * A local store of candles in compressed columnar files, one per
 * exchange/symbol/timeframe/UTC month (`<root>/bybit/BTC_USDT/1m/2024-01.kcc`), with a
 * `manifest.json` per series listing files, range and gaps.
 *
 * Every write is atomic (temporary file + rename) and idempotent: the bytes of a file
 * depend only on the candles in it. One writer per series at a time; any number of
 * readers.
 */
export class HistoryStore {
  constructor(readonly root: string) {}

  /** Absolute folder of a series. */
  seriesDir(key: SeriesKey): string {
    return join(this.root, seriesPath(key));
  }

  /** Every series in the store, sorted by exchange, symbol and timeframe. */
  async listSeries(): Promise<SeriesKey[]> {
    const out: SeriesKey[] = [];
    for (const exchange of await listDir(this.root)) {
      for (const pair of await listDir(join(this.root, exchange))) {
        const [base, quote, extra] = pair.split('_');
        if (!base || !quote || extra !== undefined) continue;
        for (const tf of await listDir(join(this.root, exchange, pair))) {
          if (isTimeframe(tf)) out.push({ exchange, symbol: `${base}/${quote}`, timeframe: tf });
        }
      }
    }
    return out;
  }

  /** Month names ('YYYY-MM') that have a file, oldest first. */
  async months(key: SeriesKey): Promise<string[]> {
    const names = await listDir(this.seriesDir(key));
    return names.flatMap((n) => MONTH_FILE.exec(n)?.[1] ?? []).sort();
  }

  /** Reads candles in `range`, validating each; empty when the series does not exist. */
  async read(key: SeriesKey, range: TimeRange = {}): Promise<Candle[]> {
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    const to = range.to ?? Number.POSITIVE_INFINITY;
    const out: Candle[] = [];
    for (const month of await this.months(key)) {
      if (nextMonthStart(month) <= from || monthStart(month) >= to) continue;
      for (const c of await this.readMonth(key, month)) if (c.time >= from && c.time < to) out.push(c);
    }
    return out;
  }

  /** The last stored candle's open time, read from the newest file's header; undefined when empty. */
  async lastTime(key: SeriesKey): Promise<number | undefined> {
    const months = await this.months(key);
    for (let i = months.length - 1; i >= 0; i--) {
      const file = join(this.seriesDir(key), `${months[i]}.kcc`);
      const head = readCandleColumnsHeader(await readFile(file), file);
      if (head.count > 0) return head.last;
    }
    return undefined;
  }

  /**
   * Merges `candles` into the series (a candle replaces a stored one with the same open
   * time), rewrites only the month files whose content changes, then rewrites the
   * manifest. Candles must be sorted, unique, aligned and valid.
   */
  async write(key: SeriesKey, candles: readonly Candle[]): Promise<SeriesManifest> {
    const step = timeframeMs(key.timeframe);
    const dir = this.seriesDir(key);
    let prev = Number.NEGATIVE_INFINITY;
    for (const c of candles) {
      const problem = candleProblem(c, prev, step, key.timeframe);
      if (problem !== undefined) throw new DataError(`${seriesPath(key)}: candle at ${new Date(c.time).toISOString()}: ${problem}`, { ...key, time: c.time });
      prev = c.time;
    }
    await mkdir(dir, { recursive: true });
    const byMonth = new Map<string, Candle[]>();
    for (const c of candles) {
      const m = monthOf(c.time);
      let list = byMonth.get(m);
      if (!list) byMonth.set(m, (list = []));
      list.push(c);
    }
    for (const [month, incoming] of byMonth) {
      const file = join(dir, `${month}.kcc`);
      const existingBytes = await readFile(file).catch(() => undefined);
      const existing = existingBytes ? decodeCandleColumns(existingBytes, file) : [];
      const merged = mergeCandles(existing, incoming);
      const bytes = encodeCandleColumns(merged, step);
      if (!existingBytes || !existingBytes.equals(bytes)) await writeFileAtomic(file, bytes);
    }
    return this.rebuildManifest(key);
  }

  /** The stored manifest, or undefined when the series has none yet. */
  async manifest(key: SeriesKey): Promise<SeriesManifest | undefined> {
    const text = await readFile(join(this.seriesDir(key), MANIFEST), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as SeriesManifest);
  }

  /**
   * Recomputes the manifest from the month files and writes it (atomically, only when it
   * changes). Headers give each file's range; only files with holes are decompressed to
   * locate their gaps.
   */
  async rebuildManifest(key: SeriesKey): Promise<SeriesManifest> {
    const step = timeframeMs(key.timeframe);
    const dir = this.seriesDir(key);
    const files: ManifestFile[] = [];
    const gaps: CandleGap[] = [];
    let prevLast: number | undefined;
    for (const month of await this.months(key)) {
      const name = `${month}.kcc`;
      const path = join(dir, name);
      const bytes = await readFile(path);
      const head = readCandleColumnsHeader(bytes, path);
      if (head.count === 0) continue;
      if (prevLast !== undefined && head.first - prevLast > step) gaps.push({ from: prevLast, to: head.first, missing: (head.first - prevLast) / step - 1 });
      if (head.count !== (head.last - head.first) / step + 1) gaps.push(...findGaps(decodeCandleColumns(bytes, path).map((c) => c.time), step));
      files.push({ name, count: head.count, first: head.first, last: head.last });
      prevLast = head.last;
    }
    const count = files.reduce((n, f) => n + f.count, 0);
    const manifest: SeriesManifest = {
      format: 'kairos-candles/1',
      exchange: key.exchange,
      symbol: key.symbol,
      timeframe: key.timeframe,
      count,
      ...(files.length > 0 ? { first: (files[0] as ManifestFile).first, last: (files[files.length - 1] as ManifestFile).last } : {}),
      files,
      gaps,
      missing: gaps.reduce((n, g) => n + g.missing, 0),
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const path = join(dir, MANIFEST);
    const old = await readFile(path, 'utf8').catch(() => undefined);
    if (old !== text && files.length > 0) await writeFileAtomic(path, Buffer.from(text, 'utf8'));
    return manifest;
  }

  /** Removes temporary files a crashed writer left in the series folder. */
  async sweepTemporaries(key: SeriesKey): Promise<number> {
    const dir = this.seriesDir(key);
    const stale = (await listDir(dir)).filter((n) => n.includes(TEMP_MARK));
    await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
    return stale.length;
  }

  private async readMonth(key: SeriesKey, month: string): Promise<Candle[]> {
    const file = join(this.seriesDir(key), `${month}.kcc`);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw new DataError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file });
    }
    return decodeCandleColumns(bytes, file);
  }
}

/** Sorted union of two sorted candle lists; on equal open times `incoming` wins. */
function mergeCandles(existing: readonly Candle[], incoming: readonly Candle[]): Candle[] {
  const out: Candle[] = [];
  let i = 0;
  let j = 0;
  while (i < existing.length || j < incoming.length) {
    const a = existing[i];
    const b = incoming[j];
    if (b === undefined || (a !== undefined && a.time < b.time)) {
      out.push(a as Candle);
      i++;
    } else {
      if (a !== undefined && a.time === b.time) i++;
      out.push(b);
      j++;
    }
  }
  return out;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
