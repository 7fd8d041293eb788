import type { Fill } from '../domain/order';

/**
 * Base units a list of fills leaves held in `base`: buys add their amount, sells take
 * theirs away, and a fee charged in the base currency (some venues take the buy fee
 * from what was bought) takes its cost away too. This is the amount a sell may ask
 * for, so an exit never asks for more than the account holds.
 */
export function netBaseAmount(fills: readonly Fill[], base: string, symbols?: ReadonlySet<string>): number {
  let held = 0;
  for (const f of fills) {
    if (symbols && !symbols.has(f.symbol)) continue;
    if (!f.symbol.startsWith(`${base}/`)) continue;
    held += f.side === 'buy' ? f.amount : -f.amount;
    if (f.fee.currency === base) held -= f.fee.cost;
  }
  return held;
}
