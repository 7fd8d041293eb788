import type { Candle, CandleFeed, MarketCandle, Timeframe } from '@kairos/core';

export interface ReplayFeedOptions {
  readonly timeframe: Timeframe;
  /** Candles per symbol, each sorted by time. */
  readonly series: ReadonlyMap<string, readonly Candle[]> | Readonly<Record<string, readonly Candle[]>>;
  /** Only candles opening at or after this time (ms). */
  readonly from?: number;
  /** Only candles opening before this time (ms). */
  readonly to?: number;
  /**
   * Pace relative to market time: 3600 plays one hour per second. Omitted or Infinity
   * replays as fast as the consumer takes candles (backtests).
   */
  readonly speed?: number;
  /**
   * Waits between paced candles (tests pass a virtual one). `signal` aborts when the feed
   * is stopped: a sleep that honours it should stop its timer then. The wait ends at
   * `stop()` either way.
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Candles opening before this time (ms) come at once, unpaced: a resumed session
   * replays what it already traded only to warm its indicators up.
   */
  readonly pacedFrom?: number;
}

/**
 * A timer that is cleared on abort: a pending one would keep the process alive after a
 * stop for up to the 60 s cap, although the replay had already ended.
 */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Streams stored candles in time order across symbols (ties by symbol order), as a
 * live feed would deliver them, optionally paced for paper trading.
 */
export class ReplayFeed implements CandleFeed {
  readonly symbols: readonly string[];
  private readonly series: Array<readonly [string, readonly Candle[]]>;
  private stopped = false;
  /** The paced wait in progress, aborted by `stop()`. */
  private waiting: AbortController | undefined;

  constructor(private readonly options: ReplayFeedOptions) {
    const entries: Array<[string, readonly Candle[]]> =
      options.series instanceof Map ? [...options.series.entries()] : Object.entries(options.series);
    const from = options.from ?? Number.NEGATIVE_INFINITY;
    const to = options.to ?? Number.POSITIVE_INFINITY;
    const bounded = options.from !== undefined || options.to !== undefined;
    // Unbounded (a backtest over all it loaded): a plain copy, no per-candle test.
    this.series = entries.map(([s, candles]) => [s, bounded ? candles.filter((c) => c.time >= from && c.time < to) : candles.slice()] as const);
    this.symbols = this.series.map(([s]) => s);
  }

  stop(): void {
    this.stopped = true;
    this.waiting?.abort();
  }

  /** Total candles the feed will deliver if not stopped. */
  get size(): number {
    return this.series.reduce((n, [, c]) => n + c.length, 0);
  }

  /** Unpaced replays can be read synchronously (see `CandleFeed.syncIterator`). */
  syncIterator(): Iterable<MarketCandle> | undefined {
    return Number.isFinite(this.options.speed ?? Number.POSITIVE_INFINITY) ? undefined : { [Symbol.iterator]: () => this.merge() };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MarketCandle> {
    const speed = this.options.speed ?? Number.POSITIVE_INFINITY;
    const sleep = this.options.sleep ?? defaultSleep;
    const pacedFrom = this.options.pacedFrom ?? Number.NEGATIVE_INFINITY;
    let lastTime = Number.NaN;
    for (const mc of { [Symbol.iterator]: () => this.merge() }) {
      const t = mc.candle.time;
      if (Number.isFinite(speed) && !Number.isNaN(lastTime) && t > lastTime && t > pacedFrom) {
        await this.pause(Math.min(60_000, (t - lastTime) / speed), sleep);
        if (this.stopped) return;
      }
      lastTime = t;
      yield mc;
    }
  }

  /**
   * The k-way merge by open time (ties in symbol order); ends early when stopped. A plain
   * iterator rather than a generator: a backtest pulls every candle through it, and one
   * symbol (the common case) skips the merge scan.
   */
  private merge(): Iterator<MarketCandle> {
    const { timeframe } = this.options;
    const series = this.series;
    const k = series.length;
    const cursor = new Array<number>(k).fill(0);
    const done: IteratorResult<MarketCandle> = { done: true, value: undefined };
    if (k === 1) {
      const [symbol, candles] = series[0] as readonly [string, readonly Candle[]];
      let i = 0;
      return {
        next: (): IteratorResult<MarketCandle> => {
          if (this.stopped || i >= candles.length) return done;
          const candle = candles[i++] as Candle;
          return { done: false, value: { symbol, timeframe, candle } };
        },
      };
    }
    return {
      next: (): IteratorResult<MarketCandle> => {
        if (this.stopped) return done;
        let pick = -1;
        let best = Number.POSITIVE_INFINITY;
        for (let j = 0; j < k; j++) {
          const c = (series[j] as readonly [string, readonly Candle[]])[1][cursor[j] as number];
          if (c && c.time < best) {
            best = c.time;
            pick = j;
          }
        }
        if (pick < 0) return done;
        const [symbol, candles] = series[pick] as readonly [string, readonly Candle[]];
        const candle = candles[cursor[pick] as number] as Candle;
        cursor[pick] = (cursor[pick] as number) + 1;
        return { done: false, value: { symbol, timeframe, candle } };
      },
    };
  }

  private async pause(ms: number, sleep: NonNullable<ReplayFeedOptions['sleep']>): Promise<void> {
    if (ms <= 0 || this.stopped) return;
    const waiting = new AbortController();
    this.waiting = waiting;
    // The race ends the wait at stop() even under an injected sleep that ignores the signal.
    const stopped = new Promise<void>((r) => waiting.signal.addEventListener('abort', () => r(), { once: true }));
    try {
      await Promise.race([sleep(ms, waiting.signal), stopped]);
    } finally {
      this.waiting = undefined;
    }
  }
}

