/**
 * A local Bybit v5 REST server for tests: real order and balance state, signature checks,
 * price-path matching and fault injection. See README.md in this folder.
 */
export { start } from './bybit-server';
export type { BybitServer } from './bybit-server';
export { BybitState, BybitApiError } from './bybit-state';
export type { ServerOrder, WalletEntry } from './bybit-state';
export { DEFAULT_SPOT_INSTRUMENTS } from './spot-instruments';
export type { BybitServerOptions, BybitSpotInstrument, FaultRule, FaultSpec, RecordedRequest, ServerClock } from './types';

/** The `urls.api` map that points every ccxt bybit API family at `url`. */
export function bybitApiUrls(url: string): Record<'spot' | 'futures' | 'v2' | 'public' | 'private', string> {
  return { spot: url, futures: url, v2: url, public: url, private: url };
}

/** Credentials the server accepts by default. */
export const TEST_API_KEY = 'test-api-key';
export const TEST_API_SECRET = 'test-api-secret';
