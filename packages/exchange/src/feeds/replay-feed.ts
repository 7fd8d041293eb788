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
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Streams stored candles in time order across symbols (ties by symbol order), as a
 * live feed would deliver them, optionally paced for paper trading.
 */
export class ReplayFeed implements CandleFeed {
  readonly symbols: readonly string[];
  private readonly series: Array<readonly [string, readonly Candle[]]>;
  private stopped = false;
  private wake: (() => void) | undefined;

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
    this.wake?.();
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
    let lastTime = Number.NaN;
    for (const mc of { [Symbol.iterator]: () => this.merge() }) {
      const t = mc.candle.time;
      if (Number.isFinite(speed) && !Number.isNaN(lastTime) && t > lastTime) {
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

  private async pause(ms: number, sleep: (ms: number) => Promise<void>): Promise<void> {
    if (ms <= 0) return;
    await Promise.race([sleep(ms), new Promise<void>((r) => (this.wake = r))]);
    this.wake = undefined;
  }
}

