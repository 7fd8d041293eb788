import { type Candle, type CandleFeed, KairosError, type MarketCandle, type Timeframe, timeframeMs } from '@kairos/core';
import { type CandleRest, fetchClosedCandles, lastClosedOpen } from './fetch-closed-candles';

/**
 * A websocket candle subscription, ccxt-pro style: each call resolves with the next
 * update, as the recent candles of the symbol including the one still forming.
 */
export interface CandleStream {
  watchCandles(symbol: string, timeframe: Timeframe): Promise<Candle[]>;
}

/** What happened to a symbol's subscription; for logs and metrics. */
export type StreamFeedEvent =
  | { readonly type: 'disconnected'; readonly symbol: string; readonly error: string; readonly attempt: number }
  | { readonly type: 'backfilled'; readonly symbol: string; readonly candles: number }
  | { readonly type: 'fallback'; readonly symbol: string; readonly reason: string };

export interface StreamFeedOptions {
  /** The websocket side; undefined means streams are unavailable and the feed polls. */
  readonly streams: CandleStream | undefined;
  /** REST, for gap back-fill and the polling fallback. */
  readonly rest: CandleRest;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /** Deliver candles opening after this time (ms); default: those closing after start. */
  readonly after?: number;
  /** Reconnect backoff: `baseDelayMs · 2^(attempt−1)`, capped at `maxDelayMs`. Defaults 1 s and 30 s. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Consecutive failures after which a symbol gives up on streams and polls. Default 5. */
  readonly maxFailures?: number;
  /** Polling pace in fallback: delay after a close, and retry pause. Defaults 2 s and 5 s. */
  readonly settleMs?: number;
  readonly pollRetryMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onEvent?: (e: StreamFeedEvent) => void;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** ccxt says `NotSupported` (or our mapped equivalent) when a venue has no such stream. */
function isUnsupported(err: unknown): boolean {
  const name = (err as { name?: string; constructor?: { name?: string } } | undefined)?.constructor?.name ?? (err as { name?: string } | undefined)?.name;
  return name === 'NotSupported' || (err instanceof KairosError && /not supported/i.test(err.message));
}

/**
 * A live feed over websocket candle streams. A candle is delivered once it is closed:
 * when a newer candle appears in the stream, or its period has passed. When a
 * subscription drops it reconnects with exponential backoff and back-fills the candles
 * it missed over REST before delivering new ones, so each symbol's candles arrive
 * complete and in order. After `maxFailures` failures in a row, or when streams are not
 * supported, that symbol falls back to REST polling.
 */
export class StreamFeed implements CandleFeed {
  readonly symbols: readonly string[];
  private stopped = false;
  private readonly queue: MarketCandle[] = [];
  private notify: (() => void) | undefined;
  private readonly sleepers = new Set<() => void>();
  private error: unknown;

  constructor(private readonly options: StreamFeedOptions) {
    this.symbols = [...options.symbols];
  }

  stop(): void {
    this.stopped = true;
    this.notify?.();
    for (const wake of this.sleepers) wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MarketCandle> {
    const start = this.options.after ?? lastClosedOpen(this.now(), this.options.timeframe);
    const tasks = this.symbols.map((s) => this.runSymbol(s, start).catch((err: unknown) => {
      this.error = err;
      this.stop();
    }));
    try {
      while (!this.stopped || this.queue.length > 0) {
        const next = this.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.stopped) break;
        await new Promise<void>((r) => (this.notify = r));
        this.notify = undefined;
      }
    } finally {
      this.stop();
      await Promise.allSettled(tasks);
    }
    if (this.error !== undefined) throw this.error;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private push(symbol: string, candles: readonly Candle[]): void {
    for (const candle of candles) this.queue.push({ symbol, timeframe: this.options.timeframe, candle });
    if (candles.length > 0) this.notify?.();
  }

  private async pause(ms: number): Promise<void> {
    if (this.stopped) return;
    const sleep = this.options.sleep ?? realSleep;
    let wake!: () => void;
    const woken = new Promise<void>((r) => (wake = r));
    this.sleepers.add(wake);
    await Promise.race([sleep(ms), woken]);
    this.sleepers.delete(wake);
  }

  private async runSymbol(symbol: string, start: number): Promise<void> {
    const { streams, rest, timeframe } = this.options;
    const step = timeframeMs(timeframe);
    const maxFailures = this.options.maxFailures ?? 5;
    let last = start;
    let failures = 0;
    // Back-fill over REST on start (warm-up) and after every drop; else the stream suffices.
    let behind = true;
    const backfill = async () => {
      const missed = await fetchClosedCandles(rest, symbol, timeframe, last, this.now());
      if (missed.length > 0) {
        this.push(symbol, missed);
        last = (missed.at(-1) as Candle).time;
        this.options.onEvent?.({ type: 'backfilled', symbol, candles: missed.length });
      }
    };
    if (!streams) {
      this.options.onEvent?.({ type: 'fallback', symbol, reason: 'streams unavailable' });
      return this.poll(symbol, last);
    }
    while (!this.stopped) {
      try {
        if (behind) {
          await backfill();
          behind = false;
        }
        const update = await streams.watchCandles(symbol, timeframe);
        if (this.stopped) return;
        failures = 0;
        const newest = Math.max(...update.map((c) => c.time));
        const closed = update
          .filter((c) => c.time > last && (c.time < newest || c.time + step <= this.now()))
          .sort((a, b) => a.time - b.time);
        // A hole between what we have and what the stream shows: fill it over REST first.
        if (closed.length > 0 && (closed[0] as Candle).time > last + step) await backfill();
        const fresh = closed.filter((c) => c.time > last);
        this.push(symbol, fresh);
        if (fresh.length > 0) last = (fresh.at(-1) as Candle).time;
      } catch (err) {
        if (this.stopped) return;
        failures++;
        behind = true;
        const error = err instanceof Error ? err.message : String(err);
        this.options.onEvent?.({ type: 'disconnected', symbol, error, attempt: failures });
        if (isUnsupported(err) || failures >= maxFailures) {
          this.options.onEvent?.({ type: 'fallback', symbol, reason: isUnsupported(err) ? 'stream not supported' : `${failures} failures in a row` });
          return this.poll(symbol, last);
        }
        const base = this.options.baseDelayMs ?? 1_000;
        await this.pause(Math.min(this.options.maxDelayMs ?? 30_000, base * 2 ** (failures - 1)));
      }
    }
  }

  /** Polling fallback for one symbol: wait for each close, then fetch what closed. */
  private async poll(symbol: string, after: number): Promise<void> {
    const step = timeframeMs(this.options.timeframe);
    let last = after;
    while (!this.stopped) {
      const due = last + 2 * step + (this.options.settleMs ?? 2_000);
      if (this.now() < due) await this.pause(due - this.now());
      if (this.stopped) return;
      let got: Candle[] = [];
      try {
        got = await fetchClosedCandles(this.options.rest, symbol, this.options.timeframe, last, this.now());
      } catch (err) {
        this.options.onEvent?.({ type: 'disconnected', symbol, error: err instanceof Error ? err.message : String(err), attempt: 0 });
      }
      this.push(symbol, got);
      if (got.length > 0) last = (got.at(-1) as Candle).time;
      else await this.pause(this.options.pollRetryMs ?? 5_000);
    }
  }
}
