import { MemoryLogger } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { type IntervalTimers, PoolScheduler } from './pool-scheduler';
import type { TransferResult } from './trade-pool';

/** Timers driven by the test: `tick()` fires every registered interval once. */
function manualTimers() {
  const active = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: IntervalTimers = {
    setInterval: (fn, ms) => {
      next += 1;
      active.set(next, { fn, ms });
      return next;
    },
    clearInterval: (h) => void active.delete(h as number),
  };
  return { timers, active, tick: () => [...active.values()].forEach((t) => t.fn()) };
}

function fakePool(fail = () => false) {
  const calls = { transfer: 0, cleanup: [] as number[] };
  return {
    calls,
    pool: {
      transfer: async (): Promise<TransferResult> => {
        calls.transfer += 1;
        if (fail()) throw new Error('store unavailable');
        return { users: 1, trades: 2, failed: 0 };
      },
      cleanup: (ms: number) => {
        calls.cleanup.push(ms);
        return 3;
      },
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PoolScheduler', () => {
  it('transfers every 24 h by default and cleans up with the retention after each transfer', async () => {
    const t = manualTimers();
    const { pool, calls } = fakePool();
    const s = new PoolScheduler({ pool, timers: t.timers, schedule: { retentionMs: 7 * 86_400_000 } });
    s.start();
    s.start();
    expect(t.active.size, 'start is idempotent').toBe(1);
    expect([...t.active.values()][0]?.ms).toBe(86_400_000);
    t.tick();
    await flush();
    expect(calls.transfer).toBe(1);
    expect(calls.cleanup).toEqual([7 * 86_400_000]);
    expect(await s.runOnce()).toEqual({ transfer: { users: 1, trades: 2, failed: 0 }, removed: 3 });
    await s.stop();
    expect(t.active.size).toBe(0);
    expect(s.started).toBe(false);
  });

  it('logs a failed cycle and keeps the schedule', async () => {
    const t = manualTimers();
    let failing = true;
    const { pool, calls } = fakePool(() => failing);
    const logger = new MemoryLogger();
    const s = new PoolScheduler({ pool, timers: t.timers, logger, schedule: { transferEveryMs: 60_000 } });
    s.start();
    expect(await s.runOnce()).toBeUndefined();
    expect(logger.entries.some((e) => e.level === 'error' && e.msg === 'trade pool cycle failed')).toBe(true);
    failing = false;
    t.tick();
    await flush();
    expect(calls.transfer).toBe(2);
    expect(calls.cleanup).toHaveLength(1);
    await s.stop({ flush: true });
    expect(calls.transfer, 'stop with flush transfers what is left').toBe(3);
  });

  it('rejects a bad schedule naming the key', () => {
    expect(() => new PoolScheduler({ pool: fakePool().pool, schedule: { transferEveryMs: 5 } })).toThrow(/pool\.transferEveryMs/);
  });
});
