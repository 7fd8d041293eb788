import type { EventBus, Logger } from '@kairos/core';
import { StateCell, type RiskStateStore } from './state/state-cell';

/** One stored risk decision. */
export interface RiskAuditEntry {
  readonly time: number;
  readonly action: 'rejected' | 'resized' | 'approved';
  readonly symbol: string;
  readonly side: string;
  readonly policyId: string;
  readonly reason: string;
}

/**
 * Stores the user's risk decisions from the bus (`risk.rejected`, `risk.resized`,
 * `risk.approved`) under `risk:<userId>:audit` as a bounded JSON list, newest last.
 * `now` stamps entries (the bus payloads carry no time). Returns a detach function and
 * a reader.
 */
export function attachRiskAudit(
  bus: EventBus,
  store: RiskStateStore,
  userId: string,
  options: { readonly now: () => number; readonly limit?: number; readonly logger?: Logger },
): { detach: () => void; entries: () => readonly RiskAuditEntry[]; flush: () => Promise<void> } {
  const cell = new StateCell<RiskAuditEntry[]>(store, `risk:${userId}:audit`, options.logger);
  const limit = options.limit ?? 1000;
  const log: RiskAuditEntry[] = [];
  const add = (e: RiskAuditEntry): void => {
    log.push(e);
    if (log.length > limit) log.splice(0, log.length - limit);
    cell.save(log);
  };
  const offs = [
    bus.on('risk.rejected', (e) => e.userId === userId && add({ time: options.now(), action: 'rejected', symbol: e.proposal.symbol, side: e.proposal.side, policyId: e.policyId, reason: e.reason })),
    bus.on('risk.resized', (e) => e.userId === userId && add({ time: options.now(), action: 'resized', symbol: e.proposal.symbol, side: e.proposal.side, policyId: e.note.policyId, reason: e.note.reason })),
    bus.on('risk.approved', (e) => {
      if (e.userId !== userId) return;
      for (const n of e.notes) add({ time: options.now(), action: 'approved', symbol: e.proposal.symbol, side: e.proposal.side, policyId: n.policyId, reason: n.reason });
    }),
  ];
  return {
    detach: () => offs.forEach((off) => off()),
    entries: () => log,
    flush: () => cell.flush(),
  };
}
