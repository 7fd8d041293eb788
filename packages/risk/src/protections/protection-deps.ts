import type { Clock, Logger, RiskDecision, Trade, TradeStore } from '@kairos/core';
import { iso, reject } from '../decision';
import type { LockBook } from '../state/lock-book';
import type { RiskStateStore } from '../state/state-cell';

/** What a stateful protection needs: where to persist, whose state it is, and time. */
export interface ProtectionDeps {
  /** Key/value part of the trade store; `listTrades` (when present) reloads recent history on start. */
  readonly store: RiskStateStore & Partial<Pick<TradeStore, 'listTrades'>>;
  readonly userId: string;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger?: Logger;
}

/** The store key of one policy's state for one user. */
export function stateKey(deps: ProtectionDeps, policyId: string, part = 'locks'): string {
  return `risk:${deps.userId}:${policyId}:${part}`;
}

/** Rejects an entry when a lock covers the symbol; undefined when free. */
export function lockedDecision(locks: LockBook, symbol: string, now: number): RiskDecision | undefined {
  const l = locks.active(symbol, now);
  if (!l) return undefined;
  const scope = l.symbol === '*' ? 'all pairs' : l.symbol;
  return reject(l.policyId, `${scope} locked until ${iso(l.until)}: ${l.reason}`);
}

/** Closed trades of the user since `from`, from the store when it can list them. */
export async function recentTrades(deps: ProtectionDeps, from: number): Promise<Trade[]> {
  if (!deps.store.listTrades) return [];
  return deps.store.listTrades({ userId: deps.userId, from });
}

/** The kind an exit reason starts with ('stop-loss: low 95 ≤ stop ...' → 'stop-loss'). */
export function exitKind(reason: string | undefined): string {
  if (!reason) return '';
  const i = reason.search(/[:\s(]/);
  return (i < 0 ? reason : reason.slice(0, i)).toLowerCase();
}
