import type { Market, MarketCandle, OrderProposal, Position, RiskContext, Trade } from '@kairos/core';

export const HOUR = 3_600_000;
export const MIN = 60_000;

export function market(over: Partial<Market> = {}): Market {
  return { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', active: true, amountStep: 0.0001, priceStep: 0.01, minAmount: 0.0001, minNotional: 10, makerFee: 0.001, takerFee: 0.001, ...over };
}

export function position(symbol: string, amount: number, entry: number, last = entry, openedAt = 0): Position {
  return { symbol, amount, avgEntryPrice: entry, costBasis: amount * entry, realizedPnl: 0, fees: 0, openedAt, lastPrice: last, unrealizedPnl: amount * (last - entry) };
}

export function ctx(over: Partial<Omit<RiskContext, 'positions'>> & { positions?: Position[] } = {}): RiskContext {
  const { positions, ...rest } = over;
  return {
    now: 0,
    market: market(),
    freeQuote: 10_000,
    equity: 10_000,
    openOrders: new Map(),
    ...rest,
    positions: new Map((positions ?? []).map((p) => [p.symbol, p])),
  };
}

export function entry(symbol = 'BTC/USDT', price = 100, amount?: number): OrderProposal {
  return { userId: 'u1', symbol, side: 'buy', purpose: 'entry', type: 'market', price, reason: 'test entry', ...(amount !== undefined ? { amount } : {}) };
}

export function exit(symbol = 'BTC/USDT', price = 100, amount = 1): OrderProposal {
  return { userId: 'u1', symbol, side: 'sell', purpose: 'exit', type: 'market', price, amount, reason: 'test exit' };
}

export function trade(symbol: string, exitTime: number, pnlPct: number, exitReason = 'stop-loss: hit'): Trade {
  return { id: `${symbol}:${exitTime}`, userId: 'u1', symbol, side: 'long', strategyId: 's', entryTime: exitTime - HOUR, entryPrice: 100, exitTime, exitPrice: 100 * (1 + pnlPct / 100), amount: 1, pnl: pnlPct, pnlPct, fees: 0, exitReason };
}

export function candle(symbol: string, time: number, close: number, range = 0.01 * close, open = close): MarketCandle {
  return { symbol, timeframe: '1h', candle: { time, open, high: Math.max(open, close) + range / 2, low: Math.min(open, close) - range / 2, close, volume: 100 } };
}
