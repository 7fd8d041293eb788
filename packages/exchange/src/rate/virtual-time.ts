import type { TimeSource } from './time-source';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** Options of {@link VirtualTime}. */
export interface VirtualTimeOptions {
  /** Start time in ms since the epoch (default 0). */
  readonly start?: number;
  /**
   * True while real work is under way that virtual time must wait for (an HTTP request
   * in flight, a Redis call). Time only jumps forward when this is false.
   */
  readonly isBusy?: () => boolean;
}

/**
 * Simulated time that runs as fast as the work allows: when every task is waiting on a
 * `sleep` and nothing is busy, the clock jumps to the earliest wake-up. Ten simulated
 * minutes of backoffs and rate windows take as long as the requests in them. Time never
 * moves while `isBusy()` holds, so a request is stamped with the time it was granted.
 */
export class VirtualTime implements TimeSource {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  private pumping = false;
  private readonly isBusy: () => boolean;

  constructor(options: VirtualTimeOptions = {}) {
    this.current = options.start ?? 0;
    this.isBusy = options.isBusy ?? (() => false);
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.seq += 1;
      this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq, resolve });
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.schedule();
    });
  }

  /** Moves time forward by hand, waking every timer due by then. */
  advanceBy(ms: number): void {
    this.fireUntil(this.current + ms);
  }

  /** Number of tasks sleeping right now. */
  get sleepers(): number {
    return this.timers.length;
  }

  private schedule(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.pump(0);
  }

  /** Waits for a few quiet event-loop turns (microtasks and I/O settle), then fires the next timer. */
  private pump(quietTurns: number): void {
    if (this.timers.length === 0) {
      this.pumping = false;
      return;
    }
    if (this.isBusy()) {
      setTimeout(() => this.pump(0), 1);
      return;
    }
    if (quietTurns < 3) {
      setImmediate(() => this.pump(quietTurns + 1));
      return;
    }
    const first = this.timers[0] as Timer;
    this.fireUntil(first.at);
    setImmediate(() => this.pump(0));
  }

  private fireUntil(time: number): void {
    if (time > this.current) this.current = time;
    const due = this.timers.filter((t) => t.at <= this.current);
    this.timers = this.timers.filter((t) => t.at > this.current);
    for (const t of due) t.resolve();
  }
}
