import { type ExitProposal, type MarketCandle, type OrderProposal, type Position, type RiskContext, type RiskDecision, type RiskNote, type RiskPolicy, type Trade, floorToStep } from '@kairos/core';
import type { RiskPart } from './decision';

/** Something that follows the run without deciding: e.g. the shared `MarketMemory`. */
export type RiskObserver = Partial<Pick<RiskPolicy, 'onCandle' | 'onTradeClosed' | 'onEquity' | 'start' | 'flush'>>;

export interface CompositeOptions {
  readonly id?: string;
  /** Told of every candle, trade and equity sample before the policies are. */
  readonly observers?: readonly RiskObserver[];
}

/**
 * Chains policies in order: each sees the proposal as the previous one left it; the
 * first rejection wins. Notes from every policy are kept so each decision is explained.
 * Lifecycle hooks reach every member; exits from all members are gathered and one is
 * chosen per position (a full exit over a partial one, else the first).
 *
 * A member that throws is contained: an entry is then rejected in its name (fail
 * closed), an exit passes (refusing to reduce exposure never reduces risk).
 */
export class CompositeRiskPolicy implements RiskPolicy {
  readonly id: string;
  private readonly observers: readonly RiskObserver[];

  constructor(
    readonly policies: readonly RiskPart[],
    options: CompositeOptions = {},
  ) {
    this.id = options.id ?? 'composite';
    this.observers = options.observers ?? [];
  }

  evaluate(proposal: OrderProposal, context: RiskContext): RiskDecision {
    let current = proposal;
    const notes: RiskNote[] = [];
    for (const policy of this.policies) {
      let d: RiskDecision;
      try {
        d = policy.evaluate(current, context);
      } catch (error) {
        if (current.purpose !== 'entry') continue;
        return { verdict: 'reject', policyId: policy.id, reason: `policy failed: ${String(error)}`, notes };
      }
      notes.push(...d.notes);
      if (d.verdict === 'reject') return { ...d, notes };
      current = d.proposal;
    }
    for (const policy of this.policies) policy.onApproved?.(current, context);
    return { verdict: 'approve', proposal: current, notes };
  }

  /** The member with this id, e.g. `find<KillSwitch>('kill-switch')`. */
  find<T extends RiskPart>(id: string): T | undefined {
    return this.policies.find((p) => p.id === id) as T | undefined;
  }

  private all(): RiskObserver[] {
    return [...this.observers, ...this.policies];
  }

  async start(): Promise<void> {
    for (const p of this.all()) await p.start?.();
  }

  async flush(): Promise<void> {
    for (const p of this.all()) await p.flush?.();
  }

  onCandle(candle: MarketCandle): void {
    for (const p of this.all()) p.onCandle?.(candle);
  }

  onTradeClosed(trade: Trade): void {
    for (const p of this.all()) p.onTradeClosed?.(trade);
  }

  onEquity(point: { readonly time: number; readonly equity: number; readonly cash: number }): void {
    for (const p of this.all()) p.onEquity?.(point);
  }

  exits(position: Position, context: RiskContext): readonly ExitProposal[] {
    const found: ExitProposal[] = [];
    // Every member is asked, even after one wants out, so trailing state stays current.
    for (const p of this.policies) {
      if (!p.exits) continue;
      try {
        found.push(...p.exits(position, context));
      } catch {
        // A failing exit rule must not stop the others.
      }
    }
    if (found.length === 0) return [];
    const all = floorToStep(position.amount, context.market.amountStep);
    const full = found.find((e) => e.amount >= all);
    return [full ?? (found[0] as ExitProposal)];
  }
}

/** Approves everything unchanged: the "no risk rules" choice, for comparisons. */
export class NullRiskPolicy implements RiskPolicy {
  readonly id = 'null';
  evaluate(proposal: OrderProposal): RiskDecision {
    return { verdict: 'approve', proposal, notes: [] };
  }
}
