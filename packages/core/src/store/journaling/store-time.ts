import { KairosError } from '../../errors/kairos-error';

/**
 * The time a `JournalingTradeStore` runs on: injectable so that tests can run a long
 * outage in virtual time (a clock that runs faster than the wall, or jumps).
 */
export interface StoreTime {
  now(): number;
  /** Waits `ms`; keeps the process alive meanwhile (the bot waits for the store). */
  sleep(ms: number): Promise<void>;
  /** Runs `fn` after `ms` without keeping the process alive; returns a cancel. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** Wall-clock time. */
export const wallTime: StoreTime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/**
 * Counts calls in flight and bounds how long one may take. A call that does not settle
 * in `timeoutMs` fails with a retryable error: a server that stopped answering without
 * closing the connection (paused, or a network that drops packets) would otherwise hold
 * every caller forever. The call itself goes on, and `whenIdle` waits for it, so that
 * nothing sent before a replay lands after it.
 */
export class CallTimer {
  private inflight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly time: StoreTime,
    private readonly timeoutMs: number,
  ) {}

  get inFlight(): number {
    return this.inflight;
  }

  run<T>(op: string, fn: () => Promise<T>): Promise<T> {
    this.inflight += 1;
    let p: Promise<T>;
    try {
      p = fn();
    } catch (err) {
      p = Promise.reject(err);
    }
    const tracked = p.finally(() => {
      this.inflight -= 1;
      if (this.inflight === 0) for (const wake of this.idle.splice(0)) wake();
    });
    if (!Number.isFinite(this.timeoutMs)) return tracked;
    return new Promise<T>((resolve, reject) => {
      const cancel = this.time.setTimer(
        () => reject(new KairosError('STORE_ERROR', `store ${op} got no answer in ${this.timeoutMs} ms`, { retryable: true, details: { op } })),
        this.timeoutMs,
      );
      tracked.then(
        (v) => {
          cancel();
          resolve(v);
        },
        (e: unknown) => {
          cancel();
          reject(e);
        },
      );
    });
  }

  /** Resolves when no call is in flight, or after `maxWaitMs` (false then). */
  whenIdle(maxWaitMs: number): Promise<boolean> {
    if (this.inflight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let done = false;
      const cancel = this.time.setTimer(() => {
        if (!done) {
          done = true;
          resolve(false);
        }
      }, maxWaitMs);
      this.idle.push(() => {
        if (done) return;
        done = true;
        cancel();
        resolve(true);
      });
    });
  }
}
