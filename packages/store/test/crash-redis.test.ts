import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { RedisTradeStore } from '../src/redis/redis-trade-store';
import { runCrashTest } from './crash/crash-harness';
import { expectCrashInvariants } from './crash/expect-crash-invariants';

const URL = process.env.KAIROS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('crash test: redis store', () => {
  it('survives 50 SIGKILLs of a 10-user paper run with nothing lost or doubled', async () => {
    const deployment = `crash-${randomBytes(5).toString('hex')}`;
    const kills = Number(process.env.KAIROS_CRASH_KILLS ?? 50);
    try {
      const res = await runCrashTest({
        storeEnv: { KAIROS_STORE: 'redis', KAIROS_REDIS_URL: URL, KAIROS_REDIS_DEPLOYMENT: deployment },
        openStore: () => RedisTradeStore.connect({ url: URL, deployment }),
        kills,
        users: 10,
        seed: 23,
        maxSteps: 1000,
      });
      expectCrashInvariants(res, kills);
    } finally {
      const s = await RedisTradeStore.connect({ url: URL, deployment });
      await s.clear();
      await s.close();
    }
  }, 180_000);
});
