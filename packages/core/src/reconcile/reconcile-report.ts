import type { OrderStatus } from '../domain/order';
import type { StoredOrder } from '../ports/trade-store';

/** What one reconciliation found and changed. */
export interface ReconcileReport {
  readonly userId: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** True when nothing is left unresolved: new entries may resume. */
  readonly passed: boolean;
  /** `PENDING_SUBMIT` intents settled: found on the exchange (sent) or not (never sent). */
  readonly pendingResolved: ReadonlyArray<{ readonly clientOrderId: string; readonly outcome: 'sent' | 'not-sent'; readonly status: OrderStatus }>;
  /** Intents that could not be settled (too recent, or the venue cannot look up client ids). */
  readonly pendingUnresolved: ReadonlyArray<{ readonly clientOrderId: string; readonly reason: string }>;
  /** Stored orders whose status or execution moved to match the exchange. */
  readonly ordersUpdated: ReadonlyArray<{ readonly clientOrderId: string; readonly from: OrderStatus; readonly to: OrderStatus; readonly filled: number }>;
  /** Fills the store was missing (executions while the bot was down), now stored. */
  readonly fillsImported: ReadonlyArray<{ readonly clientOrderId: string; readonly fillId: string; readonly amount: number }>;
  /** Orders open on the exchange that the store did not know, adopted as `external`. */
  readonly adopted: readonly string[];
  /** Disagreements that need a person (e.g. the store holds more fills than the exchange). */
  readonly conflicts: ReadonlyArray<{ readonly clientOrderId: string; readonly reason: string }>;
  /** Currencies whose exchange balance differs from the stored fills by more than one step. */
  readonly positionMismatches: ReadonlyArray<{ readonly currency: string; readonly store: number; readonly exchange: number; readonly tolerance: number }>;
  /** Steps that failed (an exchange error); the reconciliation did not pass. */
  readonly errors: ReadonlyArray<{ readonly step: string; readonly message: string }>;
  /** The user's orders still open after reconciling: what the engine must keep tracking. */
  readonly openOrders: readonly StoredOrder[];
}
