import type { Candle } from '@kairos/core';

/** A spot instrument as Bybit's `/v5/market/instruments-info?category=spot` lists it. */
export interface BybitSpotInstrument {
  readonly symbol: string;
  readonly baseCoin: string;
  readonly quoteCoin: string;
  /** 'Trading' for active markets. */
  readonly status: string;
  readonly lotSizeFilter: {
    readonly basePrecision: string;
    readonly quotePrecision: string;
    readonly minOrderQty: string;
    readonly maxOrderQty: string;
    readonly minOrderAmt: string;
    readonly maxOrderAmt: string;
  };
  readonly priceFilter: { readonly tickSize: string };
}

/** Anything that tells the time in ms; a virtual clock makes tests run in simulated time. */
export interface ServerClock {
  now(): number;
}

/**
 * One fault rule. A request that matches `paths` (prefixes of the URL path, e.g.
 * '/v5/order/create'; all paths when omitted) is hit with `probability` (1 when omitted),
 * at most `count` times (unlimited when omitted).
 *
 * - `http429`: HTTP 429 with `Retry-After: retryAfterSec` and Bybit's rate-limit body (retCode 10006).
 * - `http5xx`: HTTP `status` (default 502) with an HTML body, as a load balancer sends.
 * - `hang`: the request is never answered (the client times out); nothing is executed.
 * - `malformed`: HTTP 200 with a truncated JSON body; nothing is executed.
 * - `acceptThenHang`: the request IS executed (e.g. the order is created), then never answered.
 * - `maintenance`: HTTP 503 for everything but `/v5/system/status` and `/v5/market/time`,
 *   and the status endpoint reports an ongoing maintenance.
 */
export type FaultRule =
  | { readonly kind: 'http429'; readonly retryAfterSec?: number; readonly paths?: readonly string[]; readonly probability?: number; readonly count?: number }
  | { readonly kind: 'http5xx'; readonly status?: number; readonly paths?: readonly string[]; readonly probability?: number; readonly count?: number }
  | { readonly kind: 'hang' | 'malformed' | 'acceptThenHang'; readonly paths?: readonly string[]; readonly probability?: number; readonly count?: number }
  | { readonly kind: 'maintenance'; readonly paths?: readonly string[]; readonly probability?: number; readonly count?: number };

/** Fault settings: request rules plus order visibility lag. */
export interface FaultSpec {
  readonly rules?: readonly FaultRule[];
  /** Orders stay invisible to queries and cancels for this long after creation (ms of server clock). */
  readonly orderVisibilityDelayMs?: number;
}

/** Options of {@link start}. */
export interface BybitServerOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Spot instruments; defaults to seven real Bybit USDT markets (BTCUSDT, ETHUSDT, ...). */
  readonly markets?: readonly BybitSpotInstrument[];
  /**
   * The price path: candles per Bybit symbol id ('BTCUSDT'), oldest first, all of width
   * `candleIntervalMs`. Kline requests for wider intervals are aggregated from them.
   * The current price is the close of the last candle that has closed by `clock.now()`.
   */
  readonly candles?: Readonly<Record<string, readonly Candle[]>>;
  /** Width of the given candles (default 60 000, one minute). */
  readonly candleIntervalMs?: number;
  /** Starting wallet balances by coin ('USDT': 10000). */
  readonly balances?: Readonly<Record<string, number>>;
  readonly faults?: FaultSpec;
  /** Time source for candles, order times and visibility; defaults to the wall clock. */
  readonly clock?: ServerClock;
  /** Credentials the server accepts (defaults 'test-api-key' / 'test-api-secret'). */
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Seed of the fault dice, so a run is repeatable (default 1). */
  readonly seed?: number;
  /**
   * Refuse a second order with an orderLinkId already used (default true, as Bybit). Turn
   * it off to make a client that re-sends blindly show up as duplicate orders.
   */
  readonly enforceUniqueClientIds?: boolean;
  /** Taker and maker fee rate (default 0.001). */
  readonly feeRate?: number;
}

/** A request as the server saw it, for assertions. */
export interface RecordedRequest {
  readonly time: number;
  readonly method: string;
  readonly path: string;
  /** What was done: 'ok', a fault kind, or 'error:<retCode>'. */
  readonly outcome: string;
}
