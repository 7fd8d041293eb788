import { type Market, type OrderIntent, OrderRejectedError, isOnStep, roundToStep } from '@kairos/core';

const EPS = 1e-12;

/**
 * Checks an order against the market before it is sent, with the same codes as the
 * simulated exchange (ccxt would silently truncate an amount off the step). Returns the
 * amount and price snapped exactly onto their steps, so float noise never reaches the wire.
 */
export function validateIntent(intent: OrderIntent, market: Market, maxClientIdLength: number): { amount: number; price: number | undefined } {
  const cid = intent.clientOrderId;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cid) || cid.length > maxClientIdLength) {
    throw new OrderRejectedError('ORDER_INVALID', `client order id must be 1-${maxClientIdLength} characters of [A-Za-z0-9_-]`, { field: 'clientOrderId' });
  }
  if (!market.active) throw new OrderRejectedError('ORDER_INVALID', `${intent.symbol} is not active`, { symbol: intent.symbol });
  const price = intent.type === 'limit' ? intent.price : undefined;
  if (!(Number.isFinite(intent.amount) && intent.amount > 0)) {
    throw new OrderRejectedError('ORDER_INVALID', `amount must be a positive number, got ${intent.amount}`, { field: 'amount' });
  }
  if (price !== undefined && !(Number.isFinite(price) && price > 0)) {
    throw new OrderRejectedError('ORDER_INVALID', `price must be a positive number, got ${price}`, { field: 'price' });
  }
  if (!isOnStep(intent.amount, market.amountStep)) {
    throw new OrderRejectedError('ORDER_PRECISION', `amount ${intent.amount} is not a multiple of ${market.amountStep} for ${market.symbol}`, { field: 'amount', step: market.amountStep });
  }
  if (price !== undefined && !isOnStep(price, market.priceStep)) {
    throw new OrderRejectedError('ORDER_PRECISION', `price ${price} is not a multiple of ${market.priceStep} for ${market.symbol}`, { field: 'price', step: market.priceStep });
  }
  const amount = roundToStep(intent.amount, market.amountStep);
  const snapped = price === undefined ? undefined : roundToStep(price, market.priceStep);
  if (amount < market.minAmount - EPS) {
    throw new OrderRejectedError('ORDER_BELOW_MINIMUM', `amount ${amount} is below the minimum ${market.minAmount} for ${market.symbol}`, { field: 'amount', min: market.minAmount });
  }
  if (market.maxAmount !== undefined && amount > market.maxAmount + EPS) {
    throw new OrderRejectedError('ORDER_INVALID', `amount ${amount} is above the maximum ${market.maxAmount} for ${market.symbol}`, { field: 'amount', max: market.maxAmount });
  }
  if (snapped !== undefined && amount * snapped < market.minNotional - EPS) {
    throw new OrderRejectedError('ORDER_BELOW_MINIMUM', `order value ${amount * snapped} ${market.quote} is below the minimum notional ${market.minNotional}`, { field: 'notional', min: market.minNotional });
  }
  return { amount, price: snapped };
}
