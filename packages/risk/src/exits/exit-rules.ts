import { type OrderProposal, type Position, type RiskContext, type RiskDecision, type RiskPolicy, type ExitProposal, type Trade, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass } from '../decision';
import type { MarketMemory } from '../market/market-memory';
import { sellableAmount } from '../sizing/fit-to-market';
import { StopDistanceConfig, stopDistance } from '../sizing/stop-distance';

const Distance = z
  .object({
    percent: z.number().gt(0, 'must be above 0: the level sits on the profitable side of the entry').max(10_000).optional(),
    atrMultiple: z.number().gt(0).max(100).optional(),
  })
  .refine((c) => c.percent !== undefined || c.atrMultiple !== undefined, { message: 'set percent or atrMultiple' });

export const ExitRulesConfig = z.object({
  /** Stop below the entry: percent, or ATR multiple (ATR taken at entry, so the stop is volatility-adjusted). */
  stopLoss: StopDistanceConfig.optional(),
  /** Take profit above the entry. */
  takeProfit: Distance.optional(),
  /** Trails the highest high since entry; starts once profit reaches `activationPercent`. */
  trailingStop: z
    .object({
      percent: z.number().gt(0).lt(100).optional(),
      atrMultiple: z.number().gt(0).max(100).optional(),
      activationPercent: z.number().min(0).max(10_000).default(0),
    })
    .refine((c) => c.percent !== undefined || c.atrMultiple !== undefined, { message: 'set percent or atrMultiple' })
    .optional(),
  /** Once the high reaches entry + triggerPercent, the stop moves to entry + offsetPercent. */
  breakEven: z
    .object({ triggerPercent: z.number().gt(0).max(10_000), offsetPercent: z.number().min(0).max(100).default(0.1) })
    .refine((c) => c.offsetPercent < c.triggerPercent, { message: 'offsetPercent must be below triggerPercent', path: ['offsetPercent'] })
    .optional(),
  /** Closes a position held this long. */
  timeExit: z.object({ maxHours: z.number().gt(0).max(100_000) }).optional(),
  /**
   * Minimal ROI by age: minutes since entry → profit percent that is enough to exit.
   * The entry with the largest age not above the position's age applies.
   */
  minimalRoi: z.record(z.string().regex(/^\d+$/, 'keys are minutes since entry, e.g. "60"'), z.number().min(-100).max(10_000)).optional(),
});
export type ExitRulesConfig = z.infer<typeof ExitRulesConfig>;

interface Tracked {
  readonly entryAtr: number;
  highest: number;
  breakEvenArmed: boolean;
  lastCandle: number;
}

/**
 * The exit points calculator and position monitor: stop-loss, take-profit, trailing
 * stop, break-even move, time exit and a minimal-ROI table, checked on each closed
 * candle. Levels are judged against the candle's low and high (a stop touched inside
 * the candle counts), using levels known before the candle, so a candle's own high
 * never raises a stop that its low is then judged against.
 */
export class ExitRules implements RiskPolicy {
  readonly id = 'exit-rules';
  readonly config: ExitRulesConfig;
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    config: z.input<typeof ExitRulesConfig>,
    private readonly market: MarketMemory,
    key = 'risk.exits',
  ) {
    this.config = parseConfig(ExitRulesConfig, config, key);
  }

  evaluate(p: OrderProposal): RiskDecision {
    return pass(p);
  }

  onTradeClosed(trade: Trade): void {
    this.tracked.delete(`${trade.symbol}:${trade.entryTime}`);
  }

  /** The stop level in force for a position now (highest of stop-loss, break-even, trailing), if any. */
  stopLevel(position: Position): { level: number; kind: string; how: string } | undefined {
    const t = this.tracked.get(`${position.symbol}:${position.openedAt}`);
    return t ? this.stopFor(position, t) : undefined;
  }

  exits(position: Position, ctx: RiskContext): readonly ExitProposal[] {
    const key = `${position.symbol}:${position.openedAt}`;
    const entry = position.avgEntryPrice;
    if (!(entry > 0) || !(position.amount > 0)) return [];
    let t = this.tracked.get(key);
    if (!t) {
      t = { entryAtr: this.market.atr(position.symbol), highest: entry, breakEvenArmed: false, lastCandle: Number.NEGATIVE_INFINITY };
      this.tracked.set(key, t);
    }
    const c = this.market.lastCandle(position.symbol);
    const bar = c && c.time >= position.openedAt - 1 ? c : { time: ctx.now, high: position.lastPrice, low: position.lastPrice, close: position.lastPrice };
    const exit = this.check(position, t, bar, ctx.now);
    if (bar.time > t.lastCandle) {
      t.lastCandle = bar.time;
      t.highest = Math.max(t.highest, bar.high);
      const be = this.config.breakEven;
      if (be && bar.high >= entry * (1 + be.triggerPercent / 100)) t.breakEvenArmed = true;
    }
    if (!exit) return [];
    const amount = sellableAmount(position.amount, bar.close, ctx.market);
    if (amount === undefined) return [];
    return [{ policyId: this.id, symbol: position.symbol, amount, ...exit }];
  }

  private stopFor(position: Position, t: Tracked): { level: number; kind: string; how: string } | undefined {
    const entry = position.avgEntryPrice;
    const cfg = this.config;
    let best: { level: number; kind: string; how: string } | undefined;
    const consider = (level: number, kind: string, how: string): void => {
      if (Number.isFinite(level) && (!best || level > best.level)) best = { level, kind, how };
    };
    if (cfg.stopLoss) {
      const d = stopDistance(cfg.stopLoss, entry, position.symbol, this.market, t.entryAtr);
      consider(entry - d.distance, 'stop-loss', d.how);
    }
    if (cfg.breakEven && t.breakEvenArmed) consider(entry * (1 + cfg.breakEven.offsetPercent / 100), 'break-even', `entry + ${cfg.breakEven.offsetPercent}%`);
    const tr = cfg.trailingStop;
    if (tr && t.highest >= entry * (1 + tr.activationPercent / 100)) {
      const atr = this.market.atr(position.symbol);
      const dist = tr.atrMultiple !== undefined && atr > 0 ? atr * tr.atrMultiple : tr.percent !== undefined ? (t.highest * tr.percent) / 100 : Number.NaN;
      const how = tr.atrMultiple !== undefined && atr > 0 ? `${tr.atrMultiple}×ATR` : `${tr.percent}%`;
      consider(t.highest - dist, 'trailing-stop', `${how} below high ${t.highest}`);
    }
    return best;
  }

  private check(position: Position, t: Tracked, bar: { high: number; low: number; close: number }, now: number): Omit<ExitProposal, 'policyId' | 'symbol' | 'amount'> | undefined {
    const entry = position.avgEntryPrice;
    const cfg = this.config;
    const stop = this.stopFor(position, t);
    if (stop && bar.low <= stop.level) {
      return { kind: stop.kind, triggerPrice: stop.level, reason: `${stop.kind}: low ${bar.low} ≤ stop ${stop.level.toPrecision(8)} (${stop.how}, entry ${entry})` };
    }
    if (cfg.takeProfit) {
      const tp = cfg.takeProfit;
      const dist = tp.atrMultiple !== undefined && t.entryAtr > 0 ? t.entryAtr * tp.atrMultiple : tp.percent !== undefined ? (entry * tp.percent) / 100 : Number.NaN;
      const level = entry + dist;
      if (bar.high >= level) return { kind: 'take-profit', triggerPrice: level, reason: `take-profit: high ${bar.high} ≥ ${level.toPrecision(8)} (entry ${entry})` };
    }
    const ageMin = (now - position.openedAt) / 60_000;
    if (cfg.timeExit && ageMin >= cfg.timeExit.maxHours * 60) {
      return { kind: 'time-exit', reason: `time-exit: held ${(ageMin / 60).toFixed(1)} h ≥ ${cfg.timeExit.maxHours} h` };
    }
    if (cfg.minimalRoi) {
      let roi: number | undefined;
      let at = -1;
      for (const [k, v] of Object.entries(cfg.minimalRoi)) {
        const m = Number(k);
        if (m <= ageMin && m > at) {
          at = m;
          roi = v;
        }
      }
      const profit = (bar.close / entry - 1) * 100;
      if (roi !== undefined && profit >= roi) {
        return { kind: 'minimal-roi', reason: `minimal-roi: profit ${profit.toFixed(2)}% ≥ ${roi}% after ${Math.floor(ageMin)} min` };
      }
    }
    return undefined;
  }
}
