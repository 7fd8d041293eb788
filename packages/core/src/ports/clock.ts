/**
 * Time source. Backtests and replays move time with the data; live uses the wall clock.
 */
export interface Clock {
  now(): number;
  /** Moves a simulated clock forward; wall clocks do not implement it. */
  advanceTo?(time: number): void;
}
