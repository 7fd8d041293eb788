import type { Candle, OrderSide } from '@kairos/core';

/** How the simulated exchange turns a candle into executions. */
export interface FillModelOptions {
  /** Adverse price move applied to market orders, in basis points. */
  readonly slippageBps: number;
  /** Largest share of one candle's volume that this exchange's orders may take. */
  readonly volumeParticipation: number;
}

/**
 * Market orders execute at the next candle's open (the first price after the decision),
 * moved against the taker by the slippage.
 */
export function marketFillPrice(candle: Candle, side: OrderSide, slippageBps: number): number {
  const slip = slippageBps / 10_000;
  return side === 'buy' ? candle.open * (1 + slip) : candle.open * (1 - slip);
}

/**
 * A resting limit order fills when the candle trades through its price. If the candle
 * opens beyond the limit (a gap) the order takes the better open price, as a taker.
 */
export function limitFill(candle: Candle, side: OrderSide, price: number): { price: number; liquidity: 'maker' | 'taker' } | undefined {
  if (side === 'buy') {
    if (candle.open <= price) return { price: candle.open, liquidity: 'taker' };
    if (candle.low <= price) return { price, liquidity: 'maker' };
    return undefined;
  }
  if (candle.open >= price) return { price: candle.open, liquidity: 'taker' };
  if (candle.high >= price) return { price, liquidity: 'maker' };
  return undefined;
}
