import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTradeStore } from '@kairos/store';
import { describe, expect, it } from 'vitest';
import { KILLS, checkSession, killLoop } from './sigkill-harness';

describe(`kairos start survives ${KILLS} SIGKILLs of the same session (file store)`, () => {
  it('with a file store: no duplicate, nothing pending, positions equal fills, no rejected exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-sigkill-'));
    const outputs = await killLoop(['--store', `file:${dir}`], 'kill-file', 16);
    const store = await FileTradeStore.open({ dir });
    try {
      const { orders, fills } = await checkSession(store, 'kill-file', outputs);
      expect(orders, 'the session traded').toBeGreaterThan(20);
      expect(fills).toBeGreaterThanOrEqual(orders - 2);
    } finally {
      await store.close();
    }
  }, 240_000);

});
