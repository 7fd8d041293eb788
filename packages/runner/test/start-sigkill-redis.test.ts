import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisTradeStore } from '@kairos/store';
import { describe, expect, it } from 'vitest';
import { KILLS, REDIS, checkSession, killLoop } from './sigkill-harness';

describe(`kairos start survives ${KILLS} SIGKILLs of the same session (Redis)`, () => {
  it('with Redis: no duplicate, nothing pending, positions equal fills, no rejected exit', async () => {
    const session = `kill-redis-${randomBytes(4).toString('hex')}`;
    // The outage journal goes to a temporary folder, not the working directory's .kairos/.
    const journal = await mkdtemp(join(tmpdir(), 'kairos-sigkill-journal-'));
    const outputs = await killLoop(['--store', REDIS, '--journal', journal], session, 61);
    const store = await RedisTradeStore.connect({ url: REDIS, deployment: 'default' });
    try {
      const { orders } = await checkSession(store, session, outputs);
      expect(orders, 'the session traded').toBeGreaterThan(20);
    } finally {
      await store.close();
    }
  }, 240_000);
});
