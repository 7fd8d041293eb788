import type { MarketCandle } from '../domain/candle';
import type { Fill, Order } from '../domain/order';
import type { Trade } from '../domain/position';
import type { Signal } from '../domain/signal';
import type { SymbolPause } from '../engine/rejection-ledger';
import type { OrderProposal, RiskNote } from '../ports/risk-policy';

export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
  readonly cash: number;
}

/**
 * Every event on the bus, by dotted name. Listeners get one payload object, so
 * adding a field never breaks a listener.
 */
export interface KairosEvents {
  'engine.started': (e: { mode: string; symbols: readonly string[]; time: number }) => void;
  'engine.stopped': (e: { reason: string; time: number }) => void;
  'candle.closed': (e: MarketCandle) => void;
  'signal.generated': (e: { userId: string; signal: Signal }) => void;
  'strategy.error': (e: { userId: string; strategyId: string; symbol: string; error: string; count: number }) => void;
  'risk.approved': (e: { userId: string; proposal: OrderProposal; notes: readonly RiskNote[] }) => void;
  'risk.resized': (e: { userId: string; proposal: OrderProposal; note: RiskNote }) => void;
  'risk.rejected': (e: { userId: string; proposal: OrderProposal; policyId: string; reason: string }) => void;
  'order.submitted': (e: { userId: string; order: Order }) => void;
  'order.rejected': (e: { userId: string; clientOrderId: string; symbol: string; code: string; reason: string }) => void;
  /** The same rejection repeated for a symbol: its orders are held back until `pause.until`. */
  'symbol.paused': (e: { userId: string; pause: SymbolPause }) => void;
  'order.updated': (e: { userId: string; order: Order }) => void;
  'order.filled': (e: { userId: string; fill: Fill; order: Order }) => void;
  'trade.opened': (e: { userId: string; symbol: string; time: number; price: number; amount: number }) => void;
  'trade.closed': (e: { userId: string; trade: Trade }) => void;
  'portfolio.equity': (e: { userId: string; point: EquityPoint }) => void;
  'data.gap': (e: { symbol: string; from: number; to: number; missing: number }) => void;
}

export type KairosEventName = keyof KairosEvents;
export type KairosEventPayload<K extends KairosEventName> = Parameters<KairosEvents[K]>[0];
