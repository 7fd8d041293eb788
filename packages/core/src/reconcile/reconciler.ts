import type { Market } from '../domain/market';
import { StepCounter, amountUnit } from '../domain/step-counter';
import type { Fill, Order } from '../domain/order';
import { isTerminalStatus } from '../domain/order';
import { KairosError } from '../errors/kairos-error';
import type { Clock } from '../ports/clock';
import type { ExchangeAdapter } from '../ports/exchange-adapter';
import type { Logger } from '../ports/logger';
import type { StoredOrder, TradeStore } from '../ports/trade-store';
import { deriveFill, executionOf } from './derive-fill';
import { netBaseAmount } from './net-position';
import type { ReconcileReport } from './reconcile-report';
import type { TradingGate } from './trading-gate';

/** The part of an exchange a reconciliation reads. */
export type ReconcileExchange = Pick<ExchangeAdapter, 'loadMarkets' | 'fetchBalance' | 'fetchOrder' | 'fetchOpenOrders'> &
  Partial<Pick<ExchangeAdapter, 'fetchOrderByClientId'>>;

export interface ReconcilerOptions {
  readonly exchange: ReconcileExchange;
  readonly store: TradeStore;
  readonly userId: string;
  /** Opened when a reconciliation passes, blocked (reason 'reconciliation') when not. */
  readonly gate?: TradingGate;
  readonly clock?: Pick<Clock, 'now'>;
  readonly logger?: Logger;
  /** Strategy id given to adopted orders. Default 'external'. */
  readonly externalStrategyId?: string;
  /**
   * Holdings that are not the bot's (deposits, a starting balance in a base currency),
   * by currency; the position check compares `baseline + Σ fills` with the exchange.
   */
  readonly baseline?: Readonly<Record<string, number>>;
  /** Whether a position mismatch fails the reconciliation (blocks entries). Default false: reported only. */
  readonly blockOnMismatch?: boolean;
}

export interface ReconcileRunOptions {
  /**
   * Intents younger than this (by `updatedAt`, against the clock) are left alone: the
   * engine may be sending them right now. 0 at start (nothing is in flight); use a few
   * seconds for periodic runs beside a live engine.
   */
  readonly pendingGraceMs?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer E> ? E[] : T[K] };

/**
 * Brings a user's store in line with the exchange: settles every `PENDING_SUBMIT`
 * intent (found on the exchange by client order id → stored as sent; unknown →
 * rejected as never sent), refreshes open orders, imports fills missed while the bot
 * was down, adopts orders it did not know as external, and compares positions with
 * balances. The report says what it changed; a `TradingGate` passed in stays blocked
 * until a reconciliation passes.
 */
export class Reconciler {
  constructor(private readonly opts: ReconcilerOptions) {}

  /** Runs `reconcile` every `intervalMs` (and once now); returns a stop function. */
  startPeriodic(intervalMs: number, onReport?: (r: ReconcileReport) => void, run: ReconcileRunOptions = { pendingGraceMs: 30_000 }): () => void {
    let busy = false;
    const tick = (): void => {
      if (busy) return;
      busy = true;
      this.reconcile(run)
        .then((r) => onReport?.(r))
        .catch((err: unknown) => this.opts.logger?.error({ userId: this.opts.userId, error: String(err) }, 'periodic reconciliation failed'))
        .finally(() => {
          busy = false;
        });
    };
    const timer = setInterval(tick, intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  async reconcile(run: ReconcileRunOptions = {}): Promise<ReconcileReport> {
    const { exchange, store, userId } = this.opts;
    const now = (): number => this.opts.clock?.now() ?? Date.now();
    const startedAt = now();
    const grace = run.pendingGraceMs ?? 0;
    const r: Mutable<Omit<ReconcileReport, 'passed' | 'finishedAt' | 'openOrders'>> = {
      userId,
      startedAt,
      pendingResolved: [],
      pendingUnresolved: [],
      ordersUpdated: [],
      fillsImported: [],
      adopted: [],
      conflicts: [],
      positionMismatches: [],
      errors: [],
    };
    const attempt = async <T>(step: string, fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (err) {
        r.errors.push({ step, message: err instanceof Error ? err.message : String(err) });
        return undefined;
      }
    };

    const markets = (await attempt('loadMarkets', () => exchange.loadMarkets())) ?? {};
    const exchangeOpen = (await attempt('fetchOpenOrders', () => exchange.fetchOpenOrders())) ?? [];
    const openByCid = new Map(exchangeOpen.map((o) => [o.clientOrderId, o]));
    const stored = await store.listOrders({ userId });
    const storedCids = new Set(stored.map((o) => o.clientOrderId));
    /** The freshest exchange view of each order, to import fills from. */
    const views = new Map<string, StoredOrder>();

    for (const order of stored) {
      if (isTerminalStatus(order.status)) {
        views.set(order.clientOrderId, order);
        continue;
      }
      let seen: Order | undefined;
      if (order.status === 'pending_submit' && order.id === '') {
        if (grace > 0 && order.updatedAt > now() - grace) {
          r.pendingUnresolved.push({ clientOrderId: order.clientOrderId, reason: 'intent younger than the grace period; may be in flight' });
          continue;
        }
        seen = openByCid.get(order.clientOrderId);
        if (!seen) {
          if (!exchange.fetchOrderByClientId) {
            r.pendingUnresolved.push({ clientOrderId: order.clientOrderId, reason: 'exchange cannot look orders up by client id and the order is not open' });
            continue;
          }
          const found = await attempt(`fetchOrderByClientId ${order.clientOrderId}`, async () => ({ order: await exchange.fetchOrderByClientId?.(order.symbol, order.clientOrderId) }));
          if (!found) continue;
          seen = found.order;
        }
        if (!seen) {
          await store.saveOrder({ ...order, status: 'rejected', rejectReason: 'never sent: unknown to the exchange at reconciliation', updatedAt: Math.max(order.updatedAt, startedAt) });
          r.pendingResolved.push({ clientOrderId: order.clientOrderId, outcome: 'not-sent', status: 'rejected' });
          continue;
        }
      } else {
        seen = openByCid.get(order.clientOrderId);
        if (!seen && order.id !== '') {
          const id = order.id;
          seen = await attempt(`fetchOrder ${order.clientOrderId}`, () => exchange.fetchOrder(order.symbol, id));
        } else if (!seen && exchange.fetchOrderByClientId) {
          seen = await attempt(`fetchOrderByClientId ${order.clientOrderId}`, () => exchange.fetchOrderByClientId?.(order.symbol, order.clientOrderId) ?? Promise.resolve(undefined));
        }
        if (!seen) {
          if (!r.errors.some((e) => e.step.endsWith(order.clientOrderId))) r.conflicts.push({ clientOrderId: order.clientOrderId, reason: 'stored as sent but the exchange does not know it' });
          continue;
        }
      }
      await store.saveOrder({ ...seen, userId, strategyId: order.strategyId });
      const after = (await store.getOrder(order.clientOrderId)) ?? order;
      views.set(order.clientOrderId, after);
      if (order.status === 'pending_submit') r.pendingResolved.push({ clientOrderId: order.clientOrderId, outcome: 'sent', status: after.status });
      else if (after.status !== order.status || after.filled !== order.filled) r.ordersUpdated.push({ clientOrderId: order.clientOrderId, from: order.status, to: after.status, filled: after.filled });
    }

    for (const o of exchangeOpen) {
      if (storedCids.has(o.clientOrderId)) continue;
      const saved = await attempt(`adopt ${o.clientOrderId}`, () => store.saveOrder({ ...o, userId, strategyId: this.opts.externalStrategyId ?? 'external' }).then(() => true));
      if (!saved) continue;
      const after = await store.getOrder(o.clientOrderId);
      if (after && after.userId === userId) views.set(o.clientOrderId, after);
      r.adopted.push(o.clientOrderId);
    }

    await this.importFills(views, markets, r);
    await this.checkPositions(markets, r, attempt);

    const openOrders = await store.listOrders({ userId, status: ['pending_submit', 'submitted', 'open', 'partially_filled'] });
    const passed = r.pendingUnresolved.length === 0 && r.conflicts.length === 0 && r.errors.length === 0 && (!this.opts.blockOnMismatch || r.positionMismatches.length === 0);
    const report: ReconcileReport = { ...r, passed, finishedAt: now(), openOrders };
    if (passed) this.opts.gate?.unblock('reconciliation');
    else this.opts.gate?.block('reconciliation', summarize(report));
    const level = passed ? 'info' : 'warn';
    this.opts.logger?.[level](
      {
        userId,
        passed,
        pendingResolved: r.pendingResolved.length,
        pendingUnresolved: r.pendingUnresolved.length,
        ordersUpdated: r.ordersUpdated.length,
        fillsImported: r.fillsImported.length,
        adopted: r.adopted.length,
        conflicts: r.conflicts.length,
        positionMismatches: r.positionMismatches.length,
        errors: r.errors.length,
      },
      'reconciliation done',
    );
    return report;
  }

  /** Stores the fill each order's exchange view has beyond what the store's fills add up to. */
  private async importFills(
    views: ReadonlyMap<string, StoredOrder>,
    markets: Readonly<Record<string, Market>>,
    r: Mutable<Pick<ReconcileReport, 'fillsImported' | 'conflicts'>>,
  ): Promise<void> {
    const { store, userId } = this.opts;
    const byCid = new Map<string, Fill[]>();
    for (const f of await store.listFills(userId)) {
      let l = byCid.get(f.clientOrderId);
      if (!l) byCid.set(f.clientOrderId, (l = []));
      l.push(f);
    }
    for (const [cid, view] of views) {
      const so = executionOf(byCid.get(cid) ?? []);
      // Compared in whole steps of the market where it is known: exact, whatever the size.
      const market = markets[view.symbol];
      const counter = market ? new StepCounter(amountUnit(market)) : undefined;
      const tol = Math.max(view.amount * 1e-9, 1e-12);
      const ahead = counter ? counter.count(so.filled) > counter.count(view.filled) : so.filled > view.filled + tol;
      if (ahead) {
        r.conflicts.push({ clientOrderId: cid, reason: `store holds fills for ${so.filled}, exchange reports ${view.filled} filled` });
        continue;
      }
      const fill = deriveFill(so, view, counter);
      if (fill && (counter || view.filled - so.filled > tol) && (await store.saveFill(userId, fill))) {
        r.fillsImported.push({ clientOrderId: cid, fillId: fill.id, amount: fill.amount });
      }
    }
  }

  private async checkPositions(
    markets: Readonly<Record<string, Market>>,
    r: Mutable<Pick<ReconcileReport, 'positionMismatches' | 'errors'>>,
    attempt: <T>(step: string, fn: () => Promise<T>) => Promise<T | undefined>,
  ): Promise<void> {
    const { store, userId, exchange } = this.opts;
    const fills = await store.listFills(userId);
    const bases = new Map<string, number>();
    for (const f of fills) {
      const m = markets[f.symbol];
      if (!m) continue;
      bases.set(m.base, Math.max(bases.get(m.base) ?? 0, m.amountStep));
    }
    for (const ccy of Object.keys(this.opts.baseline ?? {})) if (!bases.has(ccy)) bases.set(ccy, 0);
    if (bases.size === 0) return;
    const balances = await attempt('fetchBalance', () => exchange.fetchBalance());
    if (!balances) return;
    for (const [ccy, step] of bases) {
      const expected = (this.opts.baseline?.[ccy] ?? 0) + netBaseAmount(fills, ccy);
      const actual = balances[ccy]?.total ?? 0;
      const tolerance = step + 1e-12;
      if (Math.abs(expected - actual) > tolerance) r.positionMismatches.push({ currency: ccy, store: expected, exchange: actual, tolerance });
    }
  }
}

function summarize(r: ReconcileReport): string {
  const parts: string[] = [];
  if (r.pendingUnresolved.length) parts.push(`${r.pendingUnresolved.length} intents unresolved`);
  if (r.conflicts.length) parts.push(`${r.conflicts.length} conflicts`);
  if (r.errors.length) parts.push(`${r.errors.length} errors (${r.errors[0]?.message ?? ''})`);
  if (r.positionMismatches.length) parts.push(`${r.positionMismatches.length} position mismatches`);
  return `reconciliation did not pass: ${parts.join(', ')}`;
}

/** Thrown by callers that refuse to trade on a failed reconciliation. */
export class ReconciliationError extends KairosError {
  constructor(readonly report: ReconcileReport) {
    super('INTERNAL', summarize(report), { details: { userId: report.userId } });
  }
}
