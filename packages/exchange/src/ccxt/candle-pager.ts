import type { Candle } from '@kairos/core';

/** What {@link pageCandles} needs to know. */
export interface CandlePagerOptions {
  /** Candle width (ms). */
  readonly timeframeMs: number;
  /** Now (ms): the candle still forming at this time is never returned. */
  readonly now: number;
  /** Most candles one request may return. */
  readonly pageLimit: number;
  /** Earliest open time wanted (inclusive); absent: the latest `limit` candles. */
  readonly since?: number;
  /** Most candles wanted; absent: everything from `since`, or one page without `since`. */
  readonly limit?: number;
  /** Safety bound on requests (default 10 000). */
  readonly maxPages?: number;
}

/**
 * Reads closed candles forward in pages of at most `pageLimit`, each page asked for the
 * exact range [from, from + n·tf) so that venues answering "the latest n in range"
 * (Bybit) and "the first n from start" (Binance) give the same result. Duplicates and
 * out-of-range rows are dropped; an empty page is a gap in history and is skipped.
 */
export async function pageCandles(fetchPage: (from: number, count: number, until: number) => Promise<Candle[]>, o: CandlePagerOptions): Promise<Candle[]> {
  const tf = o.timeframeMs;
  const lastClosedOpen = Math.floor(o.now / tf) * tf - tf;
  const want = o.limit ?? (o.since === undefined ? o.pageLimit : Number.POSITIVE_INFINITY);
  let cursor = o.since ?? lastClosedOpen - (want - 1) * tf;
  const out: Candle[] = [];
  for (let page = 0; page < (o.maxPages ?? 10_000) && out.length < want && cursor <= lastClosedOpen; page++) {
    const n = Math.min(o.pageLimit, want - out.length);
    const from = cursor;
    const rows = await fetchPage(from, n, from + n * tf - 1);
    const candles = rows.filter((c) => c.time >= from && c.time <= lastClosedOpen).sort((a, b) => a.time - b.time);
    for (const c of candles) if (out.length < want && (out.length === 0 || c.time > (out[out.length - 1] as Candle).time)) out.push(c);
    cursor = candles.length > 0 ? (candles[candles.length - 1] as Candle).time + tf : from + n * tf;
  }
  return out;
}
