import { type OrderProposal, type RiskContext, type RiskDecision, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { openExposure, pass, reject, sized, type RiskPart } from '../decision';
import { fitToMarket } from '../sizing/fit-to-market';

export const ExposureLimitsConfig = z.object({
  /** Open positions (and symbols with pending entries) at most. */
  maxOpenPositions: z.number().int().min(1).max(10_000).default(5),
  /** Value in one symbol at most, as a share of equity. */
  maxSymbolExposure: z.number().gt(0).max(1).default(0.5),
  /** Value of all positions at most, as a share of equity. */
  maxTotalExposure: z.number().gt(0).max(1).default(1),
  /** Value of one entry order at most, in quote units. */
  maxPositionSize: z.number().gt(0).optional(),
  /** Allow adding to a symbol already held. */
  allowSecondPosition: z.boolean().default(false),
});
export type ExposureLimitsConfig = z.infer<typeof ExposureLimitsConfig>;

/**
 * Position count and exposure caps. An entry that would pass a value cap is shrunk to
 * fit (and rejected if what fits is below the market minimum). Exposure counts the
 * positions at last prices plus entries approved and still pending at the venue.
 */
export class ExposureLimits implements RiskPart {
  readonly id = 'exposure-limits';
  readonly config: ExposureLimitsConfig;
  /** Value of entries approved but not yet showing as positions, by symbol. */
  private readonly reserved = new Map<string, number>();

  constructor(config: z.input<typeof ExposureLimitsConfig> = {}, key = 'risk.limits') {
    this.config = parseConfig(ExposureLimitsConfig, config, key);
  }

  private pending(ctx: RiskContext): Map<string, number> {
    for (const symbol of [...this.reserved.keys()]) {
      if (ctx.positions.has(symbol) || !((ctx.openOrders.get(symbol) ?? 0) > 0)) this.reserved.delete(symbol);
    }
    return this.reserved;
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    const c = this.config;
    const pending = this.pending(ctx);
    const held = ctx.positions.has(p.symbol) || pending.has(p.symbol);
    if (held && !c.allowSecondPosition) return reject(this.id, `${p.symbol} is already held (a second position is not allowed)`);
    const count = new Set([...ctx.positions.keys(), ...pending.keys()]).size;
    if (!held && count >= c.maxOpenPositions) return reject(this.id, `${count} open positions, the maximum is ${c.maxOpenPositions}`);
    if (p.amount === undefined) return pass(p);

    const pendingTotal = [...pending.values()].reduce((a, b) => a + b, 0);
    const room: Array<{ value: number; why: string }> = [
      { value: c.maxSymbolExposure * ctx.equity - openExposure(ctx, p.symbol) - (pending.get(p.symbol) ?? 0), why: `symbol cap ${(c.maxSymbolExposure * 100).toFixed(1)}% of equity` },
      { value: c.maxTotalExposure * ctx.equity - openExposure(ctx) - pendingTotal, why: `total cap ${(c.maxTotalExposure * 100).toFixed(1)}% of equity` },
    ];
    if (c.maxPositionSize !== undefined) room.push({ value: c.maxPositionSize, why: `max position size ${c.maxPositionSize} ${ctx.market.quote}` });
    const tightest = room.reduce((a, b) => (b.value < a.value ? b : a));
    const notional = p.amount * p.price;
    if (notional <= tightest.value) return pass(p);
    if (tightest.value <= 0) return reject(this.id, `no room under the ${tightest.why}`);
    const fit = fitToMarket(tightest.value / p.price, p.price, ctx.market);
    if (!fit.ok) return reject(this.id, `${fit.reason} after shrinking to the ${tightest.why}`);
    return sized(this.id, p, fit.amount, `shrunk from ${p.amount} to ${fit.amount} ${ctx.market.base} to fit the ${tightest.why} (room ${tightest.value.toFixed(2)} ${ctx.market.quote})`);
  }

  onApproved(p: OrderProposal): void {
    if (p.purpose === 'entry' && p.amount !== undefined) this.reserved.set(p.symbol, (this.reserved.get(p.symbol) ?? 0) + p.amount * p.price);
  }
}

