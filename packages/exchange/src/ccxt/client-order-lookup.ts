import { KairosError } from '@kairos/core';
import type { CallPipeline } from './call-pipeline';
import type { CcxtOrder } from './ccxt-like';
import type { VenueProfile } from './venue-profile';

/**
 * Finds an order by the client order id we gave it, the way the venue profile says
 * (a direct query on most venues; a scan of open and recent closed orders otherwise).
 * Undefined when the venue does not know the id.
 */
export async function lookupByClientOrderId(
  pipeline: CallPipeline,
  profile: VenueProfile,
  symbol: string,
  clientOrderId: string,
  attempts: number,
): Promise<CcxtOrder | undefined> {
  const lookup = profile.clientIdLookup;
  const match = (list: unknown): CcxtOrder | undefined => (Array.isArray(list) ? (list as CcxtOrder[]).find((o) => o.clientOrderId === clientOrderId) : undefined);
  try {
    if (lookup?.method === 'fetchOrder') {
      const params = { ...(profile.fetchOrderParams ?? {}), [lookup.param]: clientOrderId };
      const raw = await pipeline.call('fetchOrderByClientId', (c) => c.fetchOrder(clientOrderId, symbol, params), attempts);
      // A venue that ignored the param may answer some other order: trust only a match.
      return raw && (!raw.clientOrderId || raw.clientOrderId === clientOrderId) ? raw : undefined;
    }
    if (lookup?.method === 'fetchOpenOrders') {
      return match(await pipeline.call('fetchOrderByClientId', (c) => c.fetchOpenOrders(symbol, undefined, undefined, { [lookup.param]: clientOrderId }), attempts));
    }
    const open = match(await pipeline.call('fetchOpenOrders', (c) => c.fetchOpenOrders(symbol), attempts));
    return open ?? match(await pipeline.call('fetchClosedOrders', (c) => c.fetchClosedOrders(symbol, undefined, 100), attempts));
  } catch (e) {
    if (e instanceof KairosError && e.code === 'ORDER_NOT_FOUND') return undefined;
    throw e;
  }
}
