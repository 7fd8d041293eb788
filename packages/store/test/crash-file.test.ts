import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTradeStore } from '../src/file/file-trade-store';
import { runCrashTest } from './crash/crash-harness';

describe('crash test: file store', () => {
  it('survives 50 SIGKILLs of a 10-user paper run with nothing lost or doubled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-crash-file-'));
    const kills = Number(process.env.KAIROS_CRASH_KILLS ?? 50);
    try {
      const res = await runCrashTest({
        storeEnv: { KAIROS_STORE: 'file', KAIROS_STORE_DIR: dir },
        openStore: () => FileTradeStore.open({ dir }),
        kills,
        users: 10,
        seed: 11,
        maxSteps: 400,
      });
      // One line of figures: how much was crashed and checked.
      console.info(`crash test: ${res.kills} kills ${JSON.stringify(res.killsByPoint)}, ${res.steps} steps, ${res.venueOrders} orders on the venue`);
      expect(res.kills, JSON.stringify(res.killsByPoint)).toBe(kills);
      expect(res.killsByPoint['after-intent'], 'killed between storing an intent and sending it').toBeGreaterThan(0);
      expect(res.killsByPoint['after-send'], 'killed between sending and storing the ack').toBeGreaterThan(0);
      expect(res.venueOrders, 'hundreds of orders').toBeGreaterThanOrEqual(kills * 4);
      expect(res.missingFromStore, 'orders on the exchange missing from the store').toEqual([]);
      expect(res.duplicateClientIds).toEqual([]);
      expect(res.pendingLeft, 'every intent resolved').toEqual([]);
      expect(res.positionDiffs, 'positions equal the exchange within one step').toEqual([]);
      for (const r of res.finalReports) {
        expect(r.passed).toBe(true);
        expect(r.fillsImported, `${r.userId}: the runner had already stored every fill`).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
