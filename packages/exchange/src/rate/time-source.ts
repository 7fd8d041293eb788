/**
 * Time for waits: the adapter, the limiter and the circuit breaker read `now()` and wait
 * with `sleep()`, so tests can run minutes of retries and rate windows in simulated time.
 */
export interface TimeSource {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock and real timers. */
export class SystemTimeSource implements TimeSource {
  now(): number {
    return Date.now();
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}
