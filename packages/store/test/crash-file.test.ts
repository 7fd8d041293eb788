import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { FileTradeStore } from '../src/file/file-trade-store';
import { runCrashTest } from './crash/crash-harness';
import { expectCrashInvariants } from './crash/expect-crash-invariants';

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
        maxSteps: 1000,
      });
      expectCrashInvariants(res, kills);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
