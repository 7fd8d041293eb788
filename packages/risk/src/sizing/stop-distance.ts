import { z } from 'zod';
import type { MarketMemory } from '../market/market-memory';

/**
 * Where a stop sits below the entry: a percent of the price, or a multiple of ATR.
 * With both set, the ATR distance is used once ATR is warm and the percent before.
 * Percent must be in (0, 100): a stop at or above the entry of a long is on the wrong side.
 */
export const StopDistanceConfig = z
  .object({
    percent: z.number().gt(0, 'a stop-loss must sit below the entry: percent > 0').lt(100, 'a stop-loss below zero: percent < 100').optional(),
    atrMultiple: z.number().gt(0, 'a stop-loss must sit below the entry: atrMultiple > 0').max(100).optional(),
  })
  .refine((c) => c.percent !== undefined || c.atrMultiple !== undefined, { message: 'set percent or atrMultiple' });
export type StopDistanceConfig = z.infer<typeof StopDistanceConfig>;

/** Distance from `price` to the stop in price units; NaN when it cannot be known yet. */
export function stopDistance(cfg: StopDistanceConfig, price: number, symbol: string, market: MarketMemory, atrAtEntry?: number): { distance: number; how: string } {
  if (cfg.atrMultiple !== undefined) {
    const atr = atrAtEntry !== undefined && atrAtEntry > 0 ? atrAtEntry : market.atr(symbol);
    if (atr > 0) return { distance: atr * cfg.atrMultiple, how: `${cfg.atrMultiple}×ATR ${atr.toPrecision(6)}` };
  }
  if (cfg.percent !== undefined) return { distance: (price * cfg.percent) / 100, how: `${cfg.percent}%` };
  return { distance: Number.NaN, how: 'ATR not warm yet' };
}
