import { type ExitProposal, type OrderProposal, type Position, type RiskContext, type RiskDecision, type RiskPolicy, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { iso, pass, reject } from '../decision';
import { sellableAmount } from '../sizing/fit-to-market';
import { StateCell } from '../state/state-cell';
import { type ProtectionDeps, stateKey } from './protection-deps';

export const MaxDrawdownConfig = z
  .object({
    /** Window the equity peak is taken over. */
    lookbackMinutes: z.number().gt(0).default(7 * 1440),
    /** Drawdown from the peak (fraction) at which entries stop: REDUCING. */
    reduceAt: z.number().gt(0).lt(1).default(0.1),
    /** Drawdown from the peak (fraction) at which the user is HALTED. */
    haltAt: z.number().gt(0).lt(1).default(0.2),
    /** A state, once entered, lasts at least this long. */
    stopDurationMinutes: z.number().gt(0).default(1440),
    /** When HALTED, propose exits for every open position. */
    flattenOnHalt: z.boolean().default(false),
  })
  .refine((c) => c.reduceAt <= c.haltAt, { message: 'reduceAt must not exceed haltAt', path: ['reduceAt'] });
export type MaxDrawdownConfig = z.infer<typeof MaxDrawdownConfig>;

export type BreakerState = 'NORMAL' | 'REDUCING' | 'HALTED';
const RANK: Record<BreakerState, number> = { NORMAL: 0, REDUCING: 1, HALTED: 2 };

interface Saved {
  state: BreakerState;
  since: number;
  until: number;
  reason: string;
  peak: number;
  peakTime: number;
}

/**
 * Circuit breaker on the drawdown of **equity** (cash plus positions at market) from its
 * peak within the lookback, not on summed trade returns: NORMAL → REDUCING (exits only)
 * → HALTED. A state holds for at least the stop duration; on leaving it the peak
 * restarts from current equity, since with entries blocked equity cannot recover on its
 * own. The state survives restarts through the store.
 */
export class MaxDrawdown implements RiskPolicy {
  readonly id = 'max-drawdown';
  readonly config: MaxDrawdownConfig;
  private readonly cell: StateCell<Saved>;
  private current: Saved = { state: 'NORMAL', since: 0, until: 0, reason: '', peak: 0, peakTime: 0 };
  /** Monotonic deque of (time, equity): decreasing equity, so the head is the window's peak. */
  private window: Array<{ time: number; equity: number }> = [];

  constructor(config: z.input<typeof MaxDrawdownConfig>, deps: ProtectionDeps, key = 'risk.protections.maxDrawdown') {
    this.config = parseConfig(MaxDrawdownConfig, config, key);
    this.cell = new StateCell(deps.store, stateKey(deps, this.id, 'state'), deps.logger);
  }

  get state(): BreakerState {
    return this.current.state;
  }

  get status(): Readonly<Saved> {
    return this.current;
  }

  async start(): Promise<void> {
    const s = await this.cell.load();
    if (s && s.state in RANK) {
      this.current = s;
      this.window = s.peak > 0 ? [{ time: s.peakTime, equity: s.peak }] : [];
    }
  }

  flush(): Promise<void> {
    return this.cell.flush();
  }

  evaluate(p: OrderProposal): RiskDecision {
    if (p.purpose !== 'entry' || this.current.state === 'NORMAL') return pass(p);
    const s = this.current;
    return reject(this.id, `${s.state} since ${iso(s.since)} (at least until ${iso(s.until)}): ${s.reason}`);
  }

  onEquity(point: { time: number; equity: number }): void {
    const { time, equity } = point;
    if (!(equity > 0)) return;
    const c = this.config;
    while (this.window.length > 0 && (this.window[this.window.length - 1] as { equity: number }).equity <= equity) this.window.pop();
    this.window.push({ time, equity });
    const from = time - c.lookbackMinutes * 60_000;
    while (this.window.length > 1 && (this.window[0] as { time: number }).time < from) this.window.shift();
    const head = this.window[0] as { time: number; equity: number };
    const dd = 1 - equity / head.equity;
    const target: BreakerState = dd >= c.haltAt ? 'HALTED' : dd >= c.reduceAt ? 'REDUCING' : 'NORMAL';
    const s = this.current;
    const why = `equity ${equity.toFixed(2)} is ${(dd * 100).toFixed(2)}% below the peak ${head.equity.toFixed(2)} of ${iso(head.time)}`;
    if (RANK[target] > RANK[s.state]) {
      this.current = { state: target, since: time, until: time + c.stopDurationMinutes * 60_000, reason: why, peak: head.equity, peakTime: head.time };
      this.cell.save(this.current);
    } else if (RANK[target] < RANK[s.state] || (s.state !== 'NORMAL' && time >= s.until)) {
      if (time < s.until) return;
      // Leaving a state: the peak restarts from here, so a flat account can trade again.
      this.window = [{ time, equity }];
      this.current = { state: 'NORMAL', since: time, until: time, reason: `resumed after ${s.state}`, peak: equity, peakTime: time };
      this.cell.save(this.current);
    } else if (head.equity !== s.peak) {
      this.current = { ...s, peak: head.equity, peakTime: head.time };
      // Persisting every new peak keeps a restart's drawdown honest; peaks change rarely.
      this.cell.save(this.current);
    }
  }

  exits(position: Position, ctx: RiskContext): readonly ExitProposal[] {
    if (!this.config.flattenOnHalt || this.current.state !== 'HALTED') return [];
    const amount = sellableAmount(position.amount, position.lastPrice, ctx.market);
    if (amount === undefined) return [];
    return [{ policyId: this.id, symbol: position.symbol, kind: 'halt-flatten', amount, reason: `halt-flatten: ${this.current.reason}` }];
  }
}
