import type { Candle } from '../domain/candle';

/**
 * Append-only columnar history of one symbol's candles, growing by doubling so that
 * appending is amortised O(1) and reads are plain typed-array loads.
 */
export class CandleSeries {
  private cap: number;
  private n = 0;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;

  constructor(initialCapacity = 1024) {
    this.cap = Math.max(16, initialCapacity);
    this.time = new Float64Array(this.cap);
    this.open = new Float64Array(this.cap);
    this.high = new Float64Array(this.cap);
    this.low = new Float64Array(this.cap);
    this.close = new Float64Array(this.cap);
    this.volume = new Float64Array(this.cap);
  }

  get length(): number {
    return this.n;
  }

  push(c: Candle): number {
    if (this.n === this.cap) this.grow();
    const i = this.n;
    this.time[i] = c.time;
    this.open[i] = c.open;
    this.high[i] = c.high;
    this.low[i] = c.low;
    this.close[i] = c.close;
    this.volume[i] = c.volume;
    this.n += 1;
    return i;
  }

  at(i: number): Candle | undefined {
    if (i < 0 || i >= this.n) return undefined;
    return {
      time: this.time[i] as number,
      open: this.open[i] as number,
      high: this.high[i] as number,
      low: this.low[i] as number,
      close: this.close[i] as number,
      volume: this.volume[i] as number,
    };
  }

  private grow(): void {
    this.cap *= 2;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(this.cap);
      b.set(a);
      return b;
    };
    this.time = grow(this.time);
    this.open = grow(this.open);
    this.high = grow(this.high);
    this.low = grow(this.low);
    this.close = grow(this.close);
    this.volume = grow(this.volume);
  }
}
