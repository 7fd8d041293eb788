/**
 * A tradable spot market, normalised from whatever the venue reports.
 * Steps are sizes (0.00001), not decimal-place counts, so rounding is one rule everywhere.
 */
export interface Market {
  readonly symbol: string; // 'BTC/USDT'
  readonly base: string;
  readonly quote: string;
  readonly active: boolean;
  /** Smallest increment of the order amount, in base units. */
  readonly amountStep: number;
  /** Smallest increment of the price, in quote units. */
  readonly priceStep: number;
  readonly minAmount: number;
  readonly maxAmount?: number;
  /** Minimum order value (price × amount) in quote units. */
  readonly minNotional: number;
  /** Default fee rates as fractions (0.001 = 0.1%). */
  readonly makerFee: number;
  readonly takerFee: number;
}

export interface Ticker {
  readonly symbol: string;
  readonly time: number;
  readonly last: number;
  readonly bid?: number;
  readonly ask?: number;
  /** 24h volume in quote units. */
  readonly quoteVolume?: number;
  readonly baseVolume?: number;
  readonly percentage?: number;
}

/** Price levels as [price, amount], best first. */
export interface OrderBook {
  readonly symbol: string;
  readonly time: number;
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}

export interface Balance {
  readonly currency: string;
  readonly free: number;
  readonly used: number;
  readonly total: number;
}

export type Balances = Readonly<Record<string, Balance>>;

/** Splits 'BTC/USDT' into its parts; undefined if the string is not BASE/QUOTE. */
export function splitSymbol(symbol: string): { base: string; quote: string } | undefined {
  const m = /^([A-Z0-9]{1,20})\/([A-Z0-9]{1,20})$/.exec(symbol);
  return m ? { base: m[1] as string, quote: m[2] as string } : undefined;
}
