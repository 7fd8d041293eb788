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
    this.series = entries.map(([s, candles]) => [s, candles.filter((c) => c.time >= (options.from ?? -Infinity) && c.time < (options.to ?? Infinity))] as const);
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

  /** The k-way merge by open time (ties in symbol order); ends early when stopped. */
  private *merge(): Generator<MarketCandle> {
    const { timeframe } = this.options;
    const cursor = this.series.map(() => 0);
    for (;;) {
      if (this.stopped) return;
      let pick = -1;
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < this.series.length; k++) {
        const c = (this.series[k] as readonly [string, readonly Candle[]])[1][cursor[k] as number];
        if (c && c.time < best) {
          best = c.time;
          pick = k;
        }
      }
      if (pick < 0) return;
      const [symbol, candles] = this.series[pick] as readonly [string, readonly Candle[]];
      const candle = candles[cursor[pick] as number] as Candle;
      cursor[pick] = (cursor[pick] as number) + 1;
      yield { symbol, timeframe, candle };
    }
  }

  private async pause(ms: number, sleep: (ms: number) => Promise<void>): Promise<void> {
    if (ms <= 0) return;
    await Promise.race([sleep(ms), new Promise<void>((r) => (this.wake = r))]);
    this.wake = undefined;
  }
}

