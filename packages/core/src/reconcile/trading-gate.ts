import type { OrderPurpose } from '../domain/order';

/**
 * Whether new entries may be placed now. Anything that makes trading unsafe (a
 * reconciliation not yet passed, a store that cannot write) blocks it under a reason
 * of its own and unblocks it when resolved; entries resume when no reason is left.
 * Exits are never blocked: closing risk is always allowed. The engine asks
 * `allows(purpose)` before it submits an order.
 */
export class TradingGate {
  private readonly blocked = new Map<string, string>();
  private readonly listeners = new Set<(open: boolean, reasons: ReadonlyMap<string, string>) => void>();

  /** Starts blocked for reconciliation by default: no entry before the first pass. */
  constructor(initial: Readonly<Record<string, string>> = { reconciliation: 'not reconciled yet' }) {
    for (const [k, v] of Object.entries(initial)) this.blocked.set(k, v);
  }

  /** Blocks entries for `reason` (a stable key like 'store' or 'reconciliation'). */
  block(reason: string, detail = reason): void {
    const was = this.entriesAllowed;
    this.blocked.set(reason, detail);
    if (was) this.notify();
  }

  unblock(reason: string): void {
    if (!this.blocked.delete(reason)) return;
    if (this.entriesAllowed) this.notify();
  }

  get entriesAllowed(): boolean {
    return this.blocked.size === 0;
  }

  /** Whether an order of this purpose may be sent now. */
  allows(purpose: OrderPurpose): boolean {
    return purpose === 'exit' || this.entriesAllowed;
  }

  /** What blocks entries now, by reason. */
  get reasons(): ReadonlyMap<string, string> {
    return new Map(this.blocked);
  }

  /** Called when entries switch between allowed and blocked; returns an unsubscribe. */
  onChange(listener: (open: boolean, reasons: ReadonlyMap<string, string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l(this.entriesAllowed, this.reasons);
  }
}
