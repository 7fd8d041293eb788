import type { Clock } from '../ports/clock';

/** The wall clock, for live trading. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock moved by the data (backtests, replays); it never runs backwards. */
export class SimulatedClock implements Clock {
  private current: number;
  constructor(start = 0) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  advanceTo(time: number): void {
    if (time > this.current) this.current = time;
  }
}
