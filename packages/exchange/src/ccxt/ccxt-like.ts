/**
 * The slice of a ccxt exchange instance that `CcxtExchange` uses, described by shape so
 * that nothing outside `@kairos/exchange/ccxt` depends on ccxt's own types, and tests or
 * other ccxt-compatible clients can be passed in.
 */
export type CcxtParams = Record<string, unknown>;

export interface CcxtMarket {
  readonly id: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly spot?: boolean;
  readonly active?: boolean | null;
  readonly taker?: number | null;
  readonly maker?: number | null;
  readonly precision: { readonly amount?: number | null; readonly price?: number | null };
  readonly limits: {
    readonly amount?: { readonly min?: number | null; readonly max?: number | null };
    readonly cost?: { readonly min?: number | null; readonly max?: number | null };
  };
}

export interface CcxtTicker {
  readonly symbol: string;
  readonly timestamp?: number | null;
  readonly last?: number | null;
  readonly close?: number | null;
  readonly bid?: number | null;
  readonly ask?: number | null;
  readonly baseVolume?: number | null;
  readonly quoteVolume?: number | null;
  readonly percentage?: number | null;
}

export interface CcxtOrderBook {
  readonly bids: ReadonlyArray<ReadonlyArray<number | null | undefined>>;
  readonly asks: ReadonlyArray<ReadonlyArray<number | null | undefined>>;
  readonly timestamp?: number | null;
}

export interface CcxtFee {
  readonly currency?: string | null;
  readonly cost?: number | null;
}

export interface CcxtOrder {
  readonly id?: string | null;
  readonly clientOrderId?: string | null;
  readonly symbol?: string | null;
  readonly type?: string | null;
  readonly side?: string | null;
  readonly status?: string | null;
  readonly amount?: number | null;
  readonly price?: number | null;
  readonly filled?: number | null;
  readonly cost?: number | null;
  readonly average?: number | null;
  readonly timestamp?: number | null;
  readonly lastUpdateTimestamp?: number | null;
  readonly lastTradeTimestamp?: number | null;
  readonly fee?: CcxtFee | null;
  readonly fees?: ReadonlyArray<CcxtFee> | null;
}

export interface CcxtBalanceEntry {
  readonly free?: number | null;
  readonly used?: number | null;
  readonly total?: number | null;
}

export interface CcxtStatus {
  readonly status?: string | null;
  readonly eta?: number | null;
}

export interface CcxtLike {
  readonly id: string;
  apiKey?: string;
  secret?: string;
  timeout: number;
  enableRateLimit: boolean;
  verbose: boolean;
  options: Record<string, unknown>;
  urls: Record<string, unknown>;
  readonly has: Record<string, unknown>;
  setSandboxMode(enabled: boolean): void;
  log: (...args: unknown[]) => void;
  handleErrors: (...args: unknown[]) => unknown;
  loadMarkets(reload?: boolean): Promise<Record<string, CcxtMarket>>;
  fetchBalance(params?: CcxtParams): Promise<Record<string, unknown>>;
  fetchTicker(symbol: string, params?: CcxtParams): Promise<CcxtTicker>;
  fetchTickers(symbols?: string[], params?: CcxtParams): Promise<Record<string, CcxtTicker>>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number, params?: CcxtParams): Promise<Array<Array<number | null | undefined>>>;
  fetchOrderBook(symbol: string, limit?: number, params?: CcxtParams): Promise<CcxtOrderBook>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: CcxtParams): Promise<CcxtOrder>;
  cancelOrder(id: string, symbol?: string, params?: CcxtParams): Promise<CcxtOrder>;
  fetchOrder(id: string, symbol?: string, params?: CcxtParams): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: CcxtParams): Promise<CcxtOrder[]>;
  fetchClosedOrders(symbol?: string, since?: number, limit?: number, params?: CcxtParams): Promise<CcxtOrder[]>;
  fetchStatus(params?: CcxtParams): Promise<CcxtStatus>;
  close?(): Promise<unknown>;
}
