import type { OrderProposal, RiskContext, RiskDecision } from '@kairos/core';
import { reject, sized } from '../decision';
import { fitToMarket } from './fit-to-market';

/**
 * Turns a wanted position value (quote units) into an entry amount: capped by free
 * cash less a fee buffer, rounded to the market, refused when too small. `why` says
 * how the value was chosen and ends up in the decision's note or rejection.
 */
export function sizeEntry(policyId: string, p: OrderProposal, ctx: RiskContext, notional: number, feeBuffer: number, why: string): RiskDecision {
  const cash = ctx.freeQuote * (1 - feeBuffer);
  const budget = Math.min(notional, cash);
  const capped = budget < notional ? ` (capped by free cash ${cash.toFixed(2)})` : '';
  const fit = fitToMarket(budget / p.price, p.price, ctx.market);
  if (!fit.ok) return reject(policyId, `${fit.reason}; ${why}${capped}`);
  return sized(policyId, p, fit.amount, `${why}${capped} → ${fit.amount} ${ctx.market.base}`);
}
