import { type Candle, DataError, type ExchangeAdapter, type Timeframe, isRetryable, timeframeMs } from '@kairos/core';
import type { CandleGap } from '../data/candle-file';
import { candleProblem } from '../data/candle-check';
import type { HistoryStore } from './history-store';
import type { SeriesManifest } from './series-manifest';
import type { SeriesKey } from './series-key';

/** The slice of an exchange the downloader uses. */
export type CandleSource = Pick<ExchangeAdapter, 'fetchCandles'> & { readonly capabilities?: Pick<ExchangeAdapter['capabilities'], 'candleLimit'> };

export interface DownloadCandlesOptions {
  readonly source: CandleSource;
  readonly store: HistoryStore;
  /** Store key: the venue id, symbol and timeframe. */
  readonly series: SeriesKey;
  /** Earliest open time wanted (ms); rounded up to the timeframe. */
  readonly since: number;
  /** Open times before this (ms, exclusive); default: everything closed by `now()`. */
  readonly until?: number;
  /** Candles per request; default the source's `candleLimit`, else 1000. */
  readonly pageLimit?: number;
  /** Write to the store every this many fetched candles (bounds work lost on a crash). Default 10 000. */
  readonly flushEvery?: number;
  /** Attempts per request on retryable errors (default 3), waiting `retryDelayMs × attempt`. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
  /** Called after each page, e.g. to print progress. */
  readonly onPage?: (info: { readonly symbol: string; readonly fetched: number; readonly until: number }) => void;
}

export interface DownloadResult {
  readonly series: SeriesKey;
  /** Candles fetched in this run (0 when already up to date). */
  readonly fetched: number;
  readonly requests: number;
  /** Where this run started fetching: after the last stored candle when resuming. */
  readonly resumedFrom: number | undefined;
  readonly manifest: SeriesManifest;
  /** Gaps in the stored series after this run (same as the manifest's). */
  readonly gaps: readonly CandleGap[];
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Back-fills one series into the store with pagination: fetches pages of candles from
 * `since` (or from just after the last stored candle, which makes it resumable), keeps
 * only closed candles, validates every candle, writes in batches, and reports the gaps
 * the source left. Running it again with the same bounds changes no byte in the store.
 */
export async function downloadCandles(options: DownloadCandlesOptions): Promise<DownloadResult> {
  const { source, store, series } = options;
  const step = timeframeMs(series.timeframe);
  const now = options.now ?? Date.now;
  const limit = options.pageLimit ?? options.source.capabilities?.candleLimit ?? 1000;
  const flushEvery = options.flushEvery ?? 10_000;
  const closedBefore = Math.floor(now() / step) * step; // open time of the candle still forming
  const end = Math.min(options.until === undefined ? closedBefore : Math.ceil(options.until / step) * step, closedBefore);
  const since = Math.ceil(options.since / step) * step;

  await store.sweepTemporaries(series);
  // Rebuilt from the files, not trusted from disk: a crash may have left the manifest behind them.
  const existing = await store.rebuildManifest(series);
  const ranges: Array<[number, number]> = [];
  let resumedFrom: number | undefined;
  if (existing.first === undefined || existing.last === undefined) {
    ranges.push([since, end]);
  } else {
    if (since < existing.first) ranges.push([since, Math.min(existing.first, end)]);
    resumedFrom = Math.max(since, existing.last + step);
    ranges.push([resumedFrom, end]);
  }

  let fetched = 0;
  let requests = 0;
  let buffer: Candle[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    await store.write(series, buffer);
    buffer = [];
  };
  for (const [start, stop] of ranges) {
    let cursor = start;
    let prev = Number.NEGATIVE_INFINITY;
    // Each pass either advances the cursor by at least one step or ends the range.
    while (cursor < stop) {
      options.signal?.throwIfAborted();
      const page = await fetchWithRetry(options, cursor, limit);
      requests++;
      const fresh = page.filter((c) => c.time >= cursor && c.time < stop);
      if (fresh.length === 0) break; // the source has nothing at or after the cursor
      for (const c of fresh) {
        const problem = candleProblem(c, prev, step, series.timeframe);
        if (problem !== undefined) {
          throw new DataError(`${series.exchange} ${series.symbol} ${series.timeframe}: candle at ${new Date(c.time).toISOString()}: ${problem}`, { ...series, time: c.time });
        }
        prev = c.time;
        buffer.push(c);
      }
      fetched += fresh.length;
      cursor = (fresh[fresh.length - 1] as Candle).time + step;
      options.onPage?.({ symbol: series.symbol, fetched, until: cursor });
      if (buffer.length >= flushEvery) await flush();
    }
    await flush();
  }
  const manifest = await store.rebuildManifest(series);
  return { series, fetched, requests, resumedFrom, manifest, gaps: manifest.gaps };
}

async function fetchWithRetry(options: DownloadCandlesOptions, since: number, limit: number): Promise<Candle[]> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      const page = await options.source.fetchCandles(options.series.symbol, options.series.timeframe as Timeframe, { since, limit });
      return [...page].sort((a, b) => a.time - b.time);
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      options.signal?.throwIfAborted();
      await sleep((options.retryDelayMs ?? 1000) * attempt);
    }
  }
}
