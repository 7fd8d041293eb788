import { createHash } from 'node:crypto';
import {
  ConfigError,
  type Fill,
  KairosError,
  MAX_EXACT_STEPS,
  ORDER_STATUS_RANK,
  type OrderStatus,
  StepCounter,
  type StoredOrder,
  type Trade,
  type TradeStore,
  commonUnit,
  isTerminalStatus,
} from '@kairos/core';

/**
 * What `kairos sessions` reads and writes. A session is one user id of the trade store:
 * `kairos start` files each paper run under its own (`--session`, default
 * `paper-<start time>`).
 */

/** No orders, fills or trades are stored under the session id asked for. */
export class SessionNotFoundError extends KairosError {
  constructor(
    readonly sessionId: string,
    where: string,
  ) {
    // A session is the store's user id, so the user code fits: scripts already handle it.
    super('USER_NOT_FOUND', `no session '${sessionId}' in ${where}: nothing is stored under that id (see kairos sessions list)`, { details: { session: sessionId } });
  }
}

/** Base held in one symbol, from the session's fills. */
export interface SessionPosition {
  readonly symbol: string;
  /** Buys − sells − fees charged in the base currency, in base units. */
  readonly amount: number;
  /**
   * True when counted in whole units of the fills' own decimal grid (exact, like the
   * engine's `StepCounter`); false when some amount has no short decimal form and the
   * plain sum was taken, with amounts within 1e-9 of the volume traded counted as 0.
   */
  readonly exact: boolean;
}

/**
 * `ORPHAN`: open orders or a position, and no process can be updating it (see
 * `SessionLiveness`). `OPEN`: the same, but it may still be running. `FLAT`: nothing
 * open. `CLOSED`: `kairos sessions close` settled it and nothing changed since.
 */
export type SessionState = 'ORPHAN' | 'OPEN' | 'FLAT' | 'CLOSED';

/**
 * Whether the session's process can still be writing. The store's own times cannot say:
 * a paper session stamps its orders and fills with the replay's market time, months in
 * the past. So: a file store has one writer at a time, and this command holding its lock
 * proves that no session is running there (`lock`); on Redis, which has no lock, each run
 * of this command remembers a digest of what it saw, and a session is quiet for as long
 * as that digest has not changed (`observed`; a session seen for the first time counts as
 * changed just now, which errs towards "may be running").
 */
export interface SessionLiveness {
  readonly basis: 'lock' | 'observed';
  /** Wall-clock time since when nothing changed (`observed`); undefined under `lock`. */
  readonly quietSince?: number;
  readonly quietMs?: number;
  /** True when this run saw the session for the first time (`observed`). */
  readonly firstLook?: boolean;
}

/** What `close` recorded, under `session:<id>:closed`. */
export interface SessionClosedRecord {
  /** Wall-clock time of the close, ms. */
  readonly closedAt: number;
  /** Client order ids marked `canceled`. */
  readonly canceled: readonly string[];
  /** Positions left on the (gone) paper venue. */
  readonly abandoned: readonly SessionPosition[];
  /** Digest of the session's records right after the close: a later change reopens it. */
  readonly digest: string;
}

/** One session as `list` shows it. */
export interface SessionView {
  readonly id: string;
  readonly state: SessionState;
  readonly orphan: boolean;
  /** Every order was placed on the simulated venue (`sim-…` ids) or never acknowledged. */
  readonly paper: boolean;
  readonly orders: { readonly total: number; readonly open: number; readonly byStatus: Partial<Record<OrderStatus, number>> };
  /** Client order ids of the non-terminal orders. */
  readonly openOrders: readonly string[];
  /** Non-zero positions only. */
  readonly positions: readonly SessionPosition[];
  readonly fills: number;
  readonly trades: number;
  /** Σ pnl of the closed trades, by quote currency. */
  readonly netPnl: Readonly<Record<string, number>>;
  /** Latest order update, fill or trade exit, in the store's time (market time for paper). */
  readonly lastActivity?: number;
  readonly liveness: SessionLiveness;
  readonly closed?: SessionClosedRecord;
}

/** A session's records, as read once from the store. */
export interface SessionRecords {
  readonly id: string;
  readonly orders: readonly StoredOrder[];
  readonly fills: readonly Fill[];
  readonly trades: readonly Trade[];
}

export const closedKey = (id: string): string => `session:${id}:closed`;
export const seenKey = (id: string): string => `session:${id}:seen`;

/** Ids the simulated venue gives (`SimulatedExchange`); '' is an intent never acknowledged. */
const PAPER_ORDER_ID = /^(sim-|$)/;

/** Every session (user id) that has orders or trades in the store, with its records. */
export async function readAllSessions(store: TradeStore): Promise<SessionRecords[]> {
  const [orders, trades] = await Promise.all([store.listOrders(), store.listTrades()]);
  const ids = new Set<string>([...orders.map((o) => o.userId), ...trades.map((t) => t.userId)]);
  const out: SessionRecords[] = [];
  for (const id of [...ids].sort()) {
    out.push({ id, orders: orders.filter((o) => o.userId === id), fills: await store.listFills(id), trades: trades.filter((t) => t.userId === id) });
  }
  return out;
}

/** One session's records; throws `SessionNotFoundError` when there are none. */
export async function readSession(store: TradeStore, id: string, where: string): Promise<SessionRecords> {
  const [orders, fills, trades] = await Promise.all([store.listOrders({ userId: id }), store.listFills(id), store.listTrades({ userId: id })]);
  if (orders.length === 0 && fills.length === 0 && trades.length === 0) throw new SessionNotFoundError(id, where);
  return { id, orders, fills, trades };
}

/** A short digest of everything stored for the session: changes whenever it trades. */
export function digestOf(s: SessionRecords): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([s.orders.map((o) => [o.clientOrderId, o.status, o.filled, o.updatedAt]), s.fills.map((f) => f.id), s.trades.map((t) => t.id)]));
  return h.digest('hex').slice(0, 16);
}

/**
 * Base held per symbol. Counted in whole units of the decimal grid the fills' amounts lie
 * on (their decimal GCD, e.g. 0.00001 for BTC), the way the engine counts market steps:
 * the session's market rules are not in the store, but its fills are on them, so
 * 0.1 + 0.2 − 0.3 is exactly 0 here. Falls back to a plain sum (`exact: false`) when an
 * amount has no short decimal form or the count would not be exact.
 */
export function positionsFromFills(fills: readonly Fill[]): SessionPosition[] {
  const bySymbol = new Map<string, Array<{ amount: number; sign: 1 | -1 }>>();
  for (const f of fills) {
    const base = f.symbol.split('/')[0] ?? f.symbol;
    let parts = bySymbol.get(f.symbol);
    if (!parts) bySymbol.set(f.symbol, (parts = []));
    parts.push({ amount: f.amount, sign: f.side === 'buy' ? 1 : -1 });
    // Some venues take the buy fee from what was bought (netBaseAmount's rule).
    if (f.fee.currency === base && f.fee.cost !== 0) parts.push({ amount: f.fee.cost, sign: -1 });
  }
  const out: SessionPosition[] = [];
  for (const [symbol, parts] of [...bySymbol].sort(([a], [b]) => a.localeCompare(b))) {
    const position = exactSum(parts) ?? plainSum(parts);
    if (position.amount !== 0) out.push({ symbol, ...position });
  }
  return out;
}

function exactSum(parts: ReadonlyArray<{ amount: number; sign: 1 | -1 }>): { amount: number; exact: true } | undefined {
  const amounts = parts.map((p) => p.amount).filter((a) => a > 0);
  if (amounts.length === 0) return { amount: 0, exact: true };
  const unit = commonUnit(amounts);
  if (unit === undefined || !(unit > 0)) return undefined;
  const counter = new StepCounter(unit);
  let steps = 0;
  for (const p of parts) {
    const k = counter.count(p.amount);
    // Every amount must sit on the grid and be countable exactly, or the sum is not exact.
    if (k > MAX_EXACT_STEPS || !counter.isWhole(p.amount) || counter.amountOf(k) !== p.amount) return undefined;
    steps += p.sign * k;
  }
  if (Math.abs(steps) > MAX_EXACT_STEPS) return undefined;
  return { amount: steps === 0 ? 0 : counter.amountOf(steps), exact: true };
}

function plainSum(parts: ReadonlyArray<{ amount: number; sign: 1 | -1 }>): { amount: number; exact: false } {
  let sum = 0;
  let volume = 0;
  for (const p of parts) {
    sum += p.sign * p.amount;
    volume += Math.abs(p.amount);
  }
  return { amount: Math.abs(sum) <= volume * 1e-9 ? 0 : sum, exact: false };
}

/** Parses the JSON of a `session:<id>:closed` value; a malformed one is ignored, not fatal. */
export function parseClosed(raw: string | undefined): SessionClosedRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<SessionClosedRecord>;
    if (typeof v.closedAt !== 'number' || typeof v.digest !== 'string') return undefined;
    return { closedAt: v.closedAt, canceled: Array.isArray(v.canceled) ? v.canceled : [], abandoned: Array.isArray(v.abandoned) ? v.abandoned : [], digest: v.digest };
  } catch {
    return undefined;
  }
}

/** How a session's liveness is judged: see `SessionLiveness`. */
export interface LivenessContext {
  readonly basis: 'lock' | 'observed';
  readonly now: number;
  /** A session whose open orders or position saw no change for this long is an orphan (observed basis). */
  readonly idleMs: number;
}

/**
 * Liveness of one session. On the observed basis this reads and, when the digest is new
 * or changed, writes `session:<id>:seen`: the only wall-clock trace of a session's
 * activity a store without a lock can hold.
 */
async function livenessOf(store: TradeStore, s: SessionRecords, digest: string, ctx: LivenessContext, remember: boolean): Promise<SessionLiveness> {
  if (ctx.basis === 'lock') return { basis: 'lock' };
  let seen: { digest: string; since: number } | undefined;
  try {
    const raw = await store.getValue(seenKey(s.id));
    const v = raw === undefined ? undefined : (JSON.parse(raw) as { digest?: unknown; since?: unknown });
    if (v && typeof v.digest === 'string' && typeof v.since === 'number') seen = { digest: v.digest, since: v.since };
  } catch {
    seen = undefined; // malformed: treated as a first look, the cautious reading
  }
  if (seen && seen.digest === digest) return { basis: 'observed', quietSince: seen.since, quietMs: Math.max(0, ctx.now - seen.since), firstLook: false };
  // New or changed since the last look: it changed some time up to now; take now, so a
  // session that may be running is never called an orphan. Only sessions with something
  // open are remembered: for the others the answer does not matter.
  if (remember) await store.setValue(seenKey(s.id), JSON.stringify({ digest, since: ctx.now }));
  return { basis: 'observed', quietSince: ctx.now, quietMs: 0, firstLook: seen === undefined };
}

/** Builds the `list` view of one session (may write its `seen` record; see `livenessOf`). */
export async function viewOf(store: TradeStore, s: SessionRecords, ctx: LivenessContext): Promise<SessionView> {
  const counts = new Map<OrderStatus, number>();
  for (const o of s.orders) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  // In lifecycle order, so the text column reads the same way for every session.
  const byStatus: Partial<Record<OrderStatus, number>> = {};
  for (const status of Object.keys(ORDER_STATUS_RANK) as OrderStatus[]) {
    const n = counts.get(status);
    if (n !== undefined) byStatus[status] = n;
  }
  const openOrders = s.orders.filter((o) => !isTerminalStatus(o.status)).map((o) => o.clientOrderId);
  const positions = positionsFromFills(s.fills);
  const netPnl: Record<string, number> = {};
  for (const t of s.trades) {
    const quote = t.symbol.split('/')[1] ?? '?';
    netPnl[quote] = (netPnl[quote] ?? 0) + t.pnl;
  }
  const times = [...s.orders.map((o) => o.updatedAt), ...s.fills.map((f) => f.time), ...s.trades.map((t) => t.exitTime)];
  const digest = digestOf(s);
  const closed = parseClosed(await store.getValue(closedKey(s.id)));
  const hasOpen = openOrders.length > 0 || positions.length > 0;
  const isClosed = closed !== undefined && closed.digest === digest;
  const liveness = await livenessOf(store, s, digest, ctx, hasOpen && !isClosed);
  const stopped = liveness.basis === 'lock' || (liveness.quietMs ?? 0) >= ctx.idleMs;
  const state: SessionState = isClosed ? 'CLOSED' : !hasOpen ? 'FLAT' : stopped ? 'ORPHAN' : 'OPEN';
  return {
    id: s.id,
    state,
    orphan: state === 'ORPHAN',
    paper: s.orders.every((o) => PAPER_ORDER_ID.test(o.id)),
    orders: { total: s.orders.length, open: openOrders.length, byStatus },
    openOrders,
    positions,
    fills: s.fills.length,
    trades: s.trades.length,
    netPnl,
    ...(times.length > 0 ? { lastActivity: Math.max(...times) } : {}),
    liveness,
    ...(closed ? { closed } : {}),
  };
}

/** Reason stored on each order `close` cancels. */
export const CLOSE_REASON = 'session closed (kairos sessions close): its paper venue ended with its process';

export interface CloseOptions {
  readonly yes: boolean;
  readonly now: number;
  readonly idleMs: number;
}

export interface CloseOutcome {
  readonly session: string;
  /** True when the session was already closed and nothing changed since: nothing done. */
  readonly already: boolean;
  readonly record: SessionClosedRecord;
  /** Orders the store kept in another terminal state (e.g. filled meanwhile): not canceled. */
  readonly notCanceled: ReadonlyArray<{ readonly clientOrderId: string; readonly status: OrderStatus }>;
}

/** Formats positions as `BTC/USDT 0.00123, ETH/USDT 0.5`. */
export function positionsText(positions: readonly SessionPosition[]): string {
  return positions.map((p) => `${p.symbol} ${p.exact ? '' : '≈'}${p.amount}`).join(', ');
}

/**
 * Closes a paper session: its non-terminal orders become `canceled` (their venue, the
 * simulated exchange, ended with the process, so nothing else will ever settle them) and
 * `session:<id>:closed` records when, what was canceled and the position left. Refuses a
 * session with live-venue orders, one that may still be running, and, without `yes`, one
 * that holds a position (the message says what would be abandoned).
 */
export async function closeSession(store: TradeStore, s: SessionRecords, view: SessionView, opts: CloseOptions): Promise<CloseOutcome> {
  if (view.state === 'CLOSED' && view.closed) return { session: s.id, already: true, record: view.closed, notCanceled: [] };
  if (!view.paper) {
    const live = s.orders.find((o) => !PAPER_ORDER_ID.test(o.id));
    throw new ConfigError('<id>', `session '${s.id}' has orders on a real venue (e.g. ${live?.clientOrderId} as ${live?.id}); cancel them there and let the bot's reconciliation record it`);
  }
  if (view.state === 'OPEN') {
    const seen = view.liveness.firstLook ? 'was first seen just now' : `changed ${formatDuration(view.liveness.quietMs ?? 0)} ago`;
    throw new ConfigError(
      '--idle',
      `session '${s.id}' ${seen} and may still be running; it counts as an orphan after ${formatDuration(opts.idleMs)} without a change (kairos sessions list shows it); pass --idle 0 if you know its process is gone`,
    );
  }
  if (view.positions.length > 0 && !opts.yes) {
    throw new ConfigError('--yes', `session '${s.id}' holds ${positionsText(view.positions)}; closing abandons that on paper and cancels ${view.orders.open} open order(s); pass --yes to close it`, {
      wouldAbandon: view.positions,
      wouldCancel: view.openOrders,
    });
  }
  const canceled: string[] = [];
  const notCanceled: Array<{ clientOrderId: string; status: OrderStatus }> = [];
  for (const o of s.orders) {
    if (isTerminalStatus(o.status)) continue;
    // Status only moves forward, so this cannot undo a fill; updatedAt stays in the
    // session's own (market) time, the close time is in the record instead.
    await store.saveOrder({ ...o, status: 'canceled', rejectReason: CLOSE_REASON });
    const after = await store.getOrder(o.clientOrderId);
    if (after?.status === 'canceled') canceled.push(o.clientOrderId);
    else notCanceled.push({ clientOrderId: o.clientOrderId, status: after?.status ?? o.status });
  }
  const [orders, fills, trades] = await Promise.all([store.listOrders({ userId: s.id }), store.listFills(s.id), store.listTrades({ userId: s.id })]);
  const record: SessionClosedRecord = { closedAt: opts.now, canceled, abandoned: view.positions, digest: digestOf({ id: s.id, orders, fills, trades }) };
  await store.setValue(closedKey(s.id), JSON.stringify(record));
  return { session: s.id, already: false, record, notCanceled };
}

/** One inconsistency `reconcile` found in a session's records. */
export type SessionProblem =
  | { readonly kind: 'pending_submit'; readonly clientOrderId: string; readonly symbol: string; readonly message: string }
  | { readonly kind: 'fills_mismatch'; readonly clientOrderId: string; readonly symbol: string; readonly orderFilled: number; readonly fillsSum: number; readonly message: string }
  | { readonly kind: 'fill_without_order'; readonly fillId: string; readonly clientOrderId: string; readonly symbol: string; readonly owner?: string; readonly message: string }
  | { readonly kind: 'negative_position'; readonly symbol: string; readonly amount: number; readonly message: string };

export interface SessionCheckReport {
  readonly session: string;
  readonly clean: boolean;
  readonly orders: number;
  readonly fills: number;
  readonly problems: readonly SessionProblem[];
}

/**
 * Whether `parts` add up to `target`: in whole units of their common decimal grid when
 * there is one (exact), else within 1e-9 of the larger side.
 */
function addsUpTo(parts: readonly number[], target: number, alsoOnGrid: readonly number[]): boolean {
  const unit = commonUnit([...parts, target, ...alsoOnGrid].filter((x) => x > 0));
  if (unit !== undefined && unit > 0) {
    const c = new StepCounter(unit);
    if ([...parts, target].every((x) => c.count(x) <= MAX_EXACT_STEPS && c.amountOf(c.count(x)) === x)) {
      return parts.reduce((k, x) => k + c.count(x), 0) === c.count(target);
    }
  }
  const sum = parts.reduce((a, x) => a + x, 0);
  return Math.abs(sum - target) <= Math.max(Math.abs(sum), Math.abs(target)) * 1e-9 + 1e-12;
}

/**
 * The store's own consistency for one session, for paper sessions whose venue is gone
 * and so cannot be asked: intents never acknowledged, orders whose fills do not add up
 * to their filled amount, fills of no order of this session, and positions below zero.
 * Reads only.
 */
export async function checkSession(store: TradeStore, s: SessionRecords): Promise<SessionCheckReport> {
  const problems: SessionProblem[] = [];
  const fillsByCid = new Map<string, Fill[]>();
  for (const f of s.fills) {
    let l = fillsByCid.get(f.clientOrderId);
    if (!l) fillsByCid.set(f.clientOrderId, (l = []));
    l.push(f);
  }
  for (const o of s.orders) {
    if (o.status === 'pending_submit') {
      problems.push({
        kind: 'pending_submit',
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        message: `${o.side} ${o.amount} ${o.symbol} was stored as an intent and never acknowledged by the venue`,
      });
    }
    const fills = fillsByCid.get(o.clientOrderId) ?? [];
    const sum = fills.reduce((a, f) => a + f.amount, 0);
    if (!addsUpTo(fills.map((f) => f.amount), o.filled, [o.amount])) {
      problems.push({
        kind: 'fills_mismatch',
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        orderFilled: o.filled,
        fillsSum: sum,
        message: `its ${fills.length} fill(s) add up to ${sum}, the order says ${o.filled} filled`,
      });
    }
  }
  const own = new Set(s.orders.map((o) => o.clientOrderId));
  for (const [cid, fills] of fillsByCid) {
    if (own.has(cid)) continue;
    const other = await store.getOrder(cid);
    for (const f of fills) {
      problems.push({
        kind: 'fill_without_order',
        fillId: f.id,
        clientOrderId: cid,
        symbol: f.symbol,
        ...(other ? { owner: other.userId } : {}),
        message: other ? `fill ${f.id} is of order ${cid}, which belongs to session '${other.userId}'` : `fill ${f.id} is of order ${cid}, which is not in the store`,
      });
    }
  }
  for (const p of positionsFromFills(s.fills)) {
    if (p.amount < 0) problems.push({ kind: 'negative_position', symbol: p.symbol, amount: p.amount, message: `sells exceed buys: ${p.symbol} ${p.amount}` });
  }
  return { session: s.id, clean: problems.length === 0, orders: s.orders.length, fills: s.fills.length, problems };
}

/** `45s`, `12m`, `3h05m`, `2d04h`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}
