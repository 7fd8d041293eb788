import { type ExchangeAdapter, KairosError } from '@kairos/core';
import type { Secret } from './secret';
import type { VerifyCredentials } from './verify-credentials';

/** Builds a private exchange client for one key pair (e.g. a `CcxtExchange`). */
export type CredentialedAdapterFactory = (
  exchangeId: string,
  apiKey: Secret,
  secret: Secret,
) => Pick<ExchangeAdapter, 'fetchBalance'> & Partial<Pick<ExchangeAdapter, 'close'>>;

/**
 * A `VerifyCredentials` that makes one private call, `fetchBalance`, with the key pair.
 * An `EXCHANGE_AUTH` error means the exchange refused the key (ok: false); other errors
 * (network, maintenance) are thrown, because they say nothing about the key.
 */
export function exchangeVerifier(create: CredentialedAdapterFactory): VerifyCredentials {
  return async (exchangeId, apiKey, secret) => {
    const adapter = create(exchangeId, apiKey, secret);
    try {
      await adapter.fetchBalance();
      return { ok: true };
    } catch (err) {
      if (err instanceof KairosError && err.code === 'EXCHANGE_AUTH') return { ok: false, reason: err.message };
      throw err;
    } finally {
      await adapter.close?.();
    }
  };
}
