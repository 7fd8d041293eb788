import { type Market, floorToStep } from '@kairos/core';

export type FitResult = { readonly ok: true; readonly amount: number } | { readonly ok: false; readonly reason: string };

/**
 * Rounds a wanted base amount down to the market's step, caps it at the market maximum,
 * and checks the minimum amount and minimum notional. An order too small after
 * rounding is refused with the reason, so it is never sent.
 */
export function fitToMarket(wanted: number, price: number, market: Market): FitResult {
  if (!(wanted > 0) || !(price > 0)) return { ok: false, reason: `size ${wanted} ${market.base} is not positive` };
  let amount = floorToStep(wanted, market.amountStep);
  if (market.maxAmount !== undefined && amount > market.maxAmount) amount = floorToStep(market.maxAmount, market.amountStep);
  if (!(amount > 0) || amount < market.minAmount) {
    return { ok: false, reason: `size ${amount} ${market.base} is below the minimum amount ${market.minAmount}` };
  }
  if (amount * price < market.minNotional) {
    return { ok: false, reason: `value ${(amount * price).toFixed(2)} ${market.quote} is below the minimum notional ${market.minNotional}` };
  }
  return { ok: true, amount };
}

/**
 * The whole of `held`, rounded down to the step, if it can be sold at `price`;
 * undefined for dust below the market minimums (an order that would only be refused).
 */
export function sellableAmount(held: number, price: number, market: Market): number | undefined {
  const amount = floorToStep(held, market.amountStep);
  if (!(amount > 0) || amount < market.minAmount || amount * price < market.minNotional) return undefined;
  return amount;
}
