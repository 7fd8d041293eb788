import { type ExitProposal, type OrderProposal, type Position, type RiskContext, type RiskDecision, type RiskPolicy, type Trade, floorToStep, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass } from '../decision';
import type { MarketMemory } from '../market/market-memory';

export const PartialCloseConfig = z.object({
  /** Rungs of (profit percent reached, fraction of the original position to close). */
  ladder: z
    .array(z.object({ profitPercent: z.number().gt(0).max(10_000), fraction: z.number().gt(0).max(1) }))
    .min(1)
    .refine((l) => l.reduce((s, r) => s + r.fraction, 0) <= 1 + 1e-9, { message: 'fractions sum above 1' }),
  /**
   * A sale must be worth at least minNotional × (1 + buffer). The seed's 10.03 USDT is
   * Binance's 10 USDT minimum with a 0.3% buffer, which is the default here.
   */
  minNotionalBuffer: z.number().min(0).max(1).default(0.003),
});
export type PartialCloseConfig = z.infer<typeof PartialCloseConfig>;

function ceilToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  const f = floorToStep(value, step);
  return f < value - 1e-12 ? floorToStep(f + step, step) : f;
}

/**
 * The partial close calculator: as profit passes each rung, sells that fraction of the
 * original position. A part too small to sell is raised to the minimum sale; when what
 * would remain is below the minimum tradable amount or sale value, everything is sold.
 */
export class PartialCloseLadder implements RiskPolicy {
  readonly id = 'partial-close';
  readonly config: PartialCloseConfig;
  private readonly state = new Map<string, { original: number; done: Set<number> }>();

  constructor(
    config: z.input<typeof PartialCloseConfig>,
    private readonly market: MarketMemory,
    key = 'risk.partialCloses',
  ) {
    this.config = parseConfig(PartialCloseConfig, config, key);
  }

  evaluate(p: OrderProposal): RiskDecision {
    return pass(p);
  }

  onTradeClosed(trade: Trade): void {
    this.state.delete(`${trade.symbol}:${trade.entryTime}`);
  }

  exits(position: Position, ctx: RiskContext): readonly ExitProposal[] {
    const key = `${position.symbol}:${position.openedAt}`;
    let s = this.state.get(key);
    if (!s) {
      s = { original: position.amount, done: new Set() };
      this.state.set(key, s);
    }
    s.original = Math.max(s.original, position.amount);
    const entry = position.avgEntryPrice;
    const price = this.market.lastCandle(position.symbol)?.close ?? position.lastPrice;
    if (!(entry > 0) || !(price > 0)) return [];
    const profit = (price / entry - 1) * 100;
    let fraction = 0;
    const rungs: number[] = [];
    this.config.ladder.forEach((r, i) => {
      if (!s.done.has(i) && profit >= r.profitPercent) {
        fraction += r.fraction;
        rungs.push(i);
      }
    });
    if (rungs.length === 0) return [];
    for (const i of rungs) s.done.add(i);
    const plan = this.plan(s.original * fraction, position.amount, price, ctx);
    if (!plan) return [];
    const what = plan.all ? 'close all' : `close ${plan.amount}`;
    return [
      {
        policyId: this.id,
        symbol: position.symbol,
        kind: 'partial-close',
        amount: plan.amount,
        reason: `partial-close: profit ${profit.toFixed(2)}% reached rung ${rungs.map((i) => this.config.ladder[i]?.profitPercent).join(', ')}% → ${what}${plan.why}`,
      },
    ];
  }

  /** How much to sell of `held` when `wanted` is due; undefined when nothing can be sold. */
  plan(wanted: number, held: number, price: number, ctx: RiskContext): { amount: number; all: boolean; why: string } | undefined {
    const m = ctx.market;
    const all = floorToStep(held, m.amountStep);
    const minSale = m.minNotional * (1 + this.config.minNotionalBuffer);
    if (all * price < m.minNotional || all < m.minAmount) return undefined;
    let part = floorToStep(Math.min(wanted, held), m.amountStep);
    let why = '';
    const minPart = ceilToStep(Math.max(m.minAmount, minSale / price), m.amountStep);
    if (part < minPart) {
      part = minPart;
      why = ` (raised to the minimum sale ${minSale.toFixed(2)} ${m.quote})`;
    }
    const rest = held - part;
    if (part >= all || rest < m.minAmount || rest * price < minSale) {
      return { amount: all, all: true, why: why || (part < all ? ` (the rest would be below the minimum sale ${minSale.toFixed(2)} ${m.quote})` : '') };
    }
    return { amount: part, all: false, why };
  }
}
