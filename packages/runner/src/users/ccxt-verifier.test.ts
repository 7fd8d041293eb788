import { describe, expect, it } from 'vitest';
import { TEST_API_KEY, TEST_API_SECRET, start } from '../../../exchange/test/support/bybit-server';
import { Secret } from './secret';
import { ccxtVerifier } from './ccxt-verifier';

// Real ccxt (bybit) against the exchange package's local Bybit server on 127.0.0.1.
describe('ccxtVerifier', () => {
  it('accepts a key the exchange accepts and refuses one it rejects, with no secret in the reason', async () => {
    const server = await start({ balances: { USDT: 1_000 } });
    try {
      const verify = ccxtVerifier({ apiUrl: server.url, timeoutMs: 2_000 });
      expect(await verify('bybit', new Secret(TEST_API_KEY), new Secret(TEST_API_SECRET))).toEqual({ ok: true });
      const wrong = await verify('bybit', new Secret('someone-elses-key-123'), new Secret('someone-elses-secret-456'));
      expect(wrong.ok).toBe(false);
      expect(wrong.reason).toMatch(/key|auth/i);
      expect(wrong.reason).not.toContain('someone-elses-secret-456');
    } finally {
      await server.stop();
    }
  });
});
