import type { ExchangeCapabilities } from '@kairos/core';
import type { CcxtParams } from './ccxt-like';

/** Adapter operations that cost rate budget. */
export type CcxtOperation =
  | 'loadMarkets'
  | 'fetchBalance'
  | 'fetchTicker'
  | 'fetchTickers'
  | 'fetchCandles'
  | 'fetchOrderBook'
  | 'createOrder'
  | 'cancelOrder'
  | 'fetchOrder'
  | 'fetchOrderByClientId'
  | 'fetchOpenOrders'
  | 'fetchClosedOrders'
  | 'fetchStatus';

/**
 * What differs between venues, as data (freqtrade's lesson: tables, not if-branches).
 * Add a venue by adding a row; unknown ids get {@link DEFAULT_PROFILE}.
 */
export interface VenueProfile {
  readonly capabilities: ExchangeCapabilities;
  /** Which currency trading fees are charged in on spot. */
  readonly feeCurrency: 'quote' | 'received';
  /** How to look an order up by the client order id; absent when the venue cannot. */
  readonly clientIdLookup?: { readonly method: 'fetchOrder' | 'fetchOpenOrders'; readonly param: string };
  /** Extra params every `fetchOrder` call needs. */
  readonly fetchOrderParams?: CcxtParams;
  /** ccxt `options` merged in at construction. */
  readonly ccxtOptions?: CcxtParams;
  /** Default rate budget (units per window) for one API key or IP. */
  readonly rateLimit: { readonly limit: number; readonly windowMs: number };
  /** Cost of each operation in budget units; missing ones cost 1. */
  readonly costs?: Partial<Record<CcxtOperation, number>>;
  /** Longest client order id the venue accepts. */
  readonly maxClientOrderIdLength: number;
  /** Whether `fetchStatus` reports maintenance reliably. */
  readonly statusEndpoint: boolean;
}

const base: ExchangeCapabilities = { nativeStopOrders: false, candleLimit: 500, fetchOrderByClientId: false, streams: false, sandbox: false };

export const DEFAULT_PROFILE: VenueProfile = {
  capabilities: base,
  feeCurrency: 'quote',
  rateLimit: { limit: 10, windowMs: 1000 },
  maxClientOrderIdLength: 32,
  statusEndpoint: false,
};

/** The venues Kairos knows. Bybit and MEXC first; Binance and OKX by configuration. */
export const VENUE_PROFILES: Readonly<Record<string, VenueProfile>> = {
  bybit: {
    capabilities: { ...base, nativeStopOrders: true, candleLimit: 1000, fetchOrderByClientId: true, sandbox: true },
    feeCurrency: 'received',
    clientIdLookup: { method: 'fetchOpenOrders', param: 'orderLinkId' },
    fetchOrderParams: { acknowledged: true },
    // Spot only, and a unified trading account (Bybit's default since 2023), which saves
    // two account-type probes on every cold start.
    ccxtOptions: { fetchMarkets: { types: ['spot'] }, enableUnifiedAccount: true, enableUnifiedMargin: false, defaultType: 'spot' },
    rateLimit: { limit: 20, windowMs: 1000 },
    costs: { loadMarkets: 2, fetchTickers: 2, fetchBalance: 2, fetchClosedOrders: 2 },
    maxClientOrderIdLength: 36,
    statusEndpoint: true,
  },
  mexc: {
    capabilities: { ...base, candleLimit: 1000, fetchOrderByClientId: true },
    feeCurrency: 'quote',
    // ccxt's mexc sends it as origClientOrderId.
    clientIdLookup: { method: 'fetchOrder', param: 'clientOrderId' },
    ccxtOptions: { defaultType: 'spot' },
    rateLimit: { limit: 20, windowMs: 1000 },
    costs: { loadMarkets: 10, fetchBalance: 10, fetchOpenOrders: 3, fetchClosedOrders: 10 },
    maxClientOrderIdLength: 32,
    statusEndpoint: true,
  },
  binance: {
    capabilities: { ...base, nativeStopOrders: true, candleLimit: 1000, fetchOrderByClientId: true, sandbox: true },
    feeCurrency: 'received',
    clientIdLookup: { method: 'fetchOrder', param: 'origClientOrderId' },
    ccxtOptions: { defaultType: 'spot' },
    // Binance counts request weight per minute per IP.
    rateLimit: { limit: 6000, windowMs: 60_000 },
    costs: { loadMarkets: 20, fetchBalance: 20, fetchTicker: 2, fetchTickers: 80, fetchCandles: 2, fetchOrderBook: 5, fetchOrder: 4, fetchOrderByClientId: 4, fetchOpenOrders: 6, fetchClosedOrders: 20 },
    maxClientOrderIdLength: 36,
    statusEndpoint: true,
  },
  okx: {
    capabilities: { ...base, nativeStopOrders: true, candleLimit: 300, fetchOrderByClientId: true, sandbox: true },
    feeCurrency: 'received',
    clientIdLookup: { method: 'fetchOrder', param: 'clientOrderId' },
    ccxtOptions: { defaultType: 'spot' },
    rateLimit: { limit: 20, windowMs: 2000 },
    maxClientOrderIdLength: 32,
    statusEndpoint: true,
  },
};

/** The profile of a ccxt exchange id. */
export function venueProfile(exchangeId: string): VenueProfile {
  return VENUE_PROFILES[exchangeId] ?? DEFAULT_PROFILE;
}
