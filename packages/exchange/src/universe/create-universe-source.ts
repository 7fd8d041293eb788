import { parseCcxtExchangeConfig } from '../ccxt/ccxt-exchange-config';
import { createCcxtClient } from '../ccxt/ccxt-client';
import { venueProfile } from '../ccxt/venue-profile';
import { type CcxtUniverseClient, type UniverseSource, ccxtUniverseSource } from './universe-source';

export interface UniverseSourceSettings {
  /** ccxt exchange id, e.g. 'bybit'. */
  readonly exchange: string;
  /** Replaces every ccxt API base URL (tests, proxies). */
  readonly url?: string;
  readonly timeoutMs?: number;
}

/**
 * Builds a {@link UniverseSource} on a fresh ccxt instance for public data only (no
 * keys). ccxt's own rate limiter stays on: a universe scan makes one candle request per
 * candidate and must not burst.
 */
export async function createUniverseSource(settings: UniverseSourceSettings): Promise<UniverseSource> {
  const config = parseCcxtExchangeConfig({ exchangeId: settings.exchange, ...(settings.url !== undefined ? { apiUrl: settings.url } : {}) });
  const client = await createCcxtClient(config);
  client.enableRateLimit = true;
  client.timeout = settings.timeoutMs ?? 15_000;
  client.options = { ...client.options, ...(venueProfile(config.exchangeId).ccxtOptions ?? {}) };
  if (config.apiUrl !== undefined) {
    const api = client.urls.api;
    const keys = typeof api === 'object' && api !== null ? Object.keys(api) : [];
    client.urls = { ...client.urls, api: Object.fromEntries((keys.length > 0 ? keys : ['public', 'private']).map((k) => [k, config.apiUrl])) };
  }
  return ccxtUniverseSource(client as unknown as CcxtUniverseClient);
}
