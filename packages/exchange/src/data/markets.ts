import { type Candle, type Market, splitSymbol, ConfigError } from '@kairos/core';

/**
 * The part of a ccxt unified market Kairos reads. Describing it by shape keeps ccxt
 * out of the types of everything that only needs markets.
 */
export interface CcxtMarketShape {
  symbol: string;
  base: string;
  quote: string;
  active?: boolean | null;
  spot?: boolean;
  precision: { amount?: number | null; price?: number | null };
  limits: { amount?: { min?: number | null; max?: number | null }; cost?: { min?: number | null } };
  maker?: number | null;
  taker?: number | null;
}

/**
 * Converts a ccxt market. `precisionMode` says how ccxt expressed precision: as decimal
 * places (older exchanges, static fixtures) or as tick sizes.
 */
export function marketFromCcxt(m: CcxtMarketShape, precisionMode: 'decimals' | 'tick' = 'tick'): Market {
  const step = (v: number | null | undefined, fallback: number): number => {
    if (v === null || v === undefined) return fallback;
    return precisionMode === 'decimals' ? Number(`1e-${v}`) : v;
  };
  const amountStep = step(m.precision.amount, 1e-8);
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    active: m.active !== false,
    amountStep,
    priceStep: step(m.precision.price, 1e-8),
    minAmount: m.limits.amount?.min ?? amountStep,
    ...(m.limits.amount?.max ? { maxAmount: m.limits.amount.max } : {}),
    minNotional: m.limits.cost?.min ?? 0,
    makerFee: m.maker ?? 0.001,
    takerFee: m.taker ?? 0.001,
  };
}

function decimalsIn(n: number): number {
  const s = n.toString();
  if (s.includes('e-')) {
    const [mant, exp] = s.split('e-') as [string, string];
    return Number(exp) + (mant.split('.')[1]?.length ?? 0);
  }
  return s.split('.')[1]?.length ?? 0;
}

/**
 * Builds plausible market rules for a symbol known only from its candles: the price
 * step is the finest decimal seen in the data, the amount step keeps one step worth
 * about 0.001–0.01 of the quote, and the minimum notional is 5 (Binance's spot rule).
 */
export function syntheticMarket(symbol: string, candles: readonly Candle[], fees = { maker: 0.001, taker: 0.001 }): Market {
  const parts = splitSymbol(symbol);
  if (!parts) throw new ConfigError('symbols', `'${symbol}' is not BASE/QUOTE`);
  let decimals = 0;
  let last = 1;
  for (let i = 0; i < candles.length; i += Math.max(1, Math.floor(candles.length / 500))) {
    const c = candles[i] as Candle;
    decimals = Math.max(decimals, decimalsIn(c.open), decimalsIn(c.close), decimalsIn(c.high), decimalsIn(c.low));
    last = c.close;
  }
  const priceStep = Number((10 ** -Math.min(decimals, 12)).toPrecision(1));
  const amountExp = Math.min(8, Math.max(0, Math.ceil(Math.log10(last / 0.01))));
  const amountStep = Number((10 ** -amountExp).toPrecision(1));
  return {
    symbol,
    base: parts.base,
    quote: parts.quote,
    active: true,
    amountStep,
    priceStep,
    minAmount: amountStep,
    minNotional: 5,
    makerFee: fees.maker,
    takerFee: fees.taker,
  };
}
