import type { Secret } from './secret';

/** What an exchange said about a key pair. `reason` must not contain the key or secret. */
export interface CredentialCheck {
  readonly ok: boolean;
  readonly reason?: string;
}

/**
 * Checks a key pair against the exchange before it is stored (typically one private,
 * read-only call such as fetching balances). Injected so that tests and offline setups
 * can pass their own.
 */
export type VerifyCredentials = (exchangeId: string, apiKey: Secret, secret: Secret) => Promise<CredentialCheck>;

/** A check that accepts every key: for `--no-verify` and offline use. */
export const skipVerification: VerifyCredentials = async () => ({ ok: true, reason: 'not verified (skipped)' });
