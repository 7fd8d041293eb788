import { CcxtExchange, type CcxtExchangeConfig, type CcxtExchangeDeps } from '@kairos/exchange';
import { exchangeVerifier } from './exchange-verifier';
import type { VerifyCredentials } from './verify-credentials';

/** Settings of the check's client other than the exchange and the credentials. */
export type CcxtVerifierConfig = Omit<Partial<CcxtExchangeConfig>, 'exchangeId' | 'credentials'>;

/**
 * The default key check: a `CcxtExchange` for the user's exchange makes one private
 * call, `fetchBalance`. The exchange refusing the key (ccxt `AuthenticationError`,
 * mapped to `EXCHANGE_AUTH`) gives `ok: false`; network trouble is thrown as a
 * retryable error. The check retries little and gives up fast, because a person is
 * waiting for it.
 */
export function ccxtVerifier(config: CcxtVerifierConfig = {}, deps: CcxtExchangeDeps = {}): VerifyCredentials {
  return exchangeVerifier(
    (exchangeId, apiKey, secret) =>
      new CcxtExchange(
        {
          timeoutMs: 15_000,
          retry: { maxAttempts: 2 },
          ...config,
          exchangeId,
          credentials: { apiKey: apiKey.reveal(), secret: secret.reveal() },
        },
        deps,
      ),
  );
}
