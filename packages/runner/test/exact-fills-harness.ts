/**
 * Runs the real Engine over a SimulatedExchange (backtest wiring, as `run-engine.ts`)
 * while watching the bus, and checks the order invariants the exact-step fill model
 * promises as they happen. Shared by exact-fills.property.test.ts and thin-markets.test.ts.
 */
import {
  type Candle,
  Engine,
  type EngineReport,
  EventBus,
  type Fill,
  type Market,
  MemoryTradeStore,
  type Order,
  type OrderProposal,
  type RiskContext,
  type RiskDecision,
  type RiskPolicy,
  type Signal,
  SimulatedClock,
  StepCounter,
  type Strategy,
  type Timeframe,
  type Trade,
  amountUnit,
  isTerminalStatus,
  timeframeMs,
} from '@kairos/core';
import { ReplayFeed, SimulatedExchange } from '@kairos/exchange';
import type { Direction, RefMarket, RefResult, RefTrade, SizeInput } from './reference-simulator';

// ---------------------------------------------------------------------------------------
// Sizing: one function, used by the test's RiskPolicy (engine side) and by the reference.

export interface SizingRule {
  /** Share of cash committed to an entry. */
  readonly fraction: number;
  /** Size for close × (1 + slippage) × (1 + max fee), so the venue's reserve is covered. */
  readonly buffer: boolean;
  readonly slippageBps: number;
}

/**
 * floor(budget / (close × buffer)) in whole steps. The budget is cash × fraction in whole
 * cents, rounded down but with a millionth of a cent of slack: booked cash carries float
 * noise (the engine derives fill prices from cumulative averages; sums of fills are
 * added in different orders), and 1000 − 1e-12 must budget like 1000, or a size moves
 * by one step between engine and reference for no reason but the noise.
 */
export function entrySteps(rule: SizingRule, input: SizeInput): number {
  const { cash, close, market } = input;
  const budget = Math.floor(cash * rule.fraction * 100 + 1e-6) / 100;
  if (!(budget > 0) || !(close > 0)) return 0;
  const unit = rule.buffer ? close * (1 + rule.slippageBps / 10_000) * (1 + Math.max(market.makerFee, market.takerFee)) : close;
  const steps = new StepCounter(market.amountStep > 0 ? market.amountStep : 1e-8).floor(budget / unit);
  return Math.max(0, steps);
}

/** The test's risk policy: sizes entries with {@link entrySteps}; exits pass unchanged. */
export class StepSizing implements RiskPolicy {
  readonly id = 'step-sizing';
  constructor(private readonly rule: SizingRule) {}

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return { verdict: 'approve', proposal: p, notes: [] };
    const steps = entrySteps(this.rule, { cash: ctx.freeQuote, close: p.price, market: ctx.market });
    if (!(steps > 0)) return { verdict: 'reject', policyId: this.id, reason: 'budget buys no whole step', notes: [] };
    const amount = new StepCounter(amountUnit(ctx.market)).amountOf(steps);
    return { verdict: 'approve', proposal: { ...p, amount }, notes: [{ policyId: this.id, action: 'resized', reason: `${steps} steps` }] };
  }
}

/** A strategy that replays pre-generated signals: signals[symbol][i] on the symbol's candle i. */
export function scriptedStrategy(signals: Readonly<Record<string, ReadonlyArray<Direction | undefined>>>): Strategy {
  return {
    id: 'scripted',
    warmup: 0,
    indicators: {},
    decide(view) {
      const d = signals[view.symbol]?.[view.length - 1];
      if (d === undefined || d === 'hold') return null;
      return { symbol: view.symbol, time: view.time, direction: d, strength: d === 'buy' ? 1 : -1, confidence: 1, source: 'scripted', reason: d };
    },
  };
}

export function refMarket(m: Market): RefMarket {
  return { symbol: m.symbol, amountStep: m.amountStep, minAmount: m.minAmount, minNotional: m.minNotional, makerFee: m.makerFee, takerFee: m.takerFee };
}

// ---------------------------------------------------------------------------------------
// The observed run.

export interface HarnessInput {
  readonly markets: readonly Market[];
  /** Candles per symbol; the key order is the feed's tie order. */
  readonly series: Readonly<Record<string, readonly Candle[]>>;
  readonly timeframe: Timeframe;
  readonly cash: number;
  readonly quote?: string;
  readonly strategy: Strategy;
  readonly risk: RiskPolicy;
  readonly slippageBps: number;
  readonly volumeParticipation: number;
  /** Compute indicators in batch up front (as `kairos backtest` does). */
  readonly preload?: boolean;
}

export interface OrderLog {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly purpose: 'entry' | 'exit';
  /** Candle index (of its symbol) the order was decided on. */
  readonly decidedAt: number;
  readonly amountSteps: number;
  last: Order;
  /** Candle index of each fill, and its steps. */
  readonly fills: Array<{ index: number; steps: number; fill: Fill }>;
}

export interface Observed {
  readonly report: EngineReport;
  readonly storeTrades: Trade[];
  /** Trades announced on the bus ('trade.closed'), in order. */
  readonly closedTrades: Trade[];
  readonly orders: Map<string, OrderLog>;
  /** Broken invariants, as sentences (empty when all held). */
  readonly violations: string[];
  /** Signals the engine acted on (bus 'signal.generated'). */
  readonly signals: Signal[];
  readonly counters: ReadonlyMap<string, StepCounter>;
}

export async function runObserved(input: HarnessInput): Promise<Observed> {
  const quote = input.quote ?? 'USDT';
  const tf = timeframeMs(input.timeframe);
  const exchange = new SimulatedExchange({
    markets: input.markets,
    balances: { [quote]: input.cash },
    slippageBps: input.slippageBps,
    volumeParticipation: input.volumeParticipation,
  });
  const counters = new Map(input.markets.map((m) => [m.symbol, new StepCounter(amountUnit(m))]));
  const indexOf = new Map<string, Map<number, number>>();
  for (const [symbol, candles] of Object.entries(input.series)) indexOf.set(symbol, new Map(candles.map((c, i) => [c.time, i])));
  const bus = new EventBus();
  const clock = new SimulatedClock();
  const store = new MemoryTradeStore(clock);
  const orders = new Map<string, OrderLog>();
  const violations: string[] = [];
  const signals: Signal[] = [];
  const closedTrades: Trade[] = [];
  /** Steps held per symbol, from the fills seen (positions and dust alike). */
  const held = new Map<string, number>();
  const fail = (msg: string) => {
    if (violations.length < 50) violations.push(msg);
  };
  const counterOf = (symbol: string) => counters.get(symbol) as StepCounter;
  const candleIndex = (symbol: string, time: number): number => indexOf.get(symbol)?.get(time) ?? -1;

  bus.on('signal.generated', (e) => signals.push(e.signal));
  bus.on('trade.closed', (e) => closedTrades.push(e.trade));
  bus.on('order.submitted', ({ order }) => {
    const counter = counterOf(order.symbol);
    if (!counter.isWhole(order.amount)) fail(`order ${order.id} amount ${order.amount} is not whole steps of ${counter.step}`);
    const steps = counter.count(order.amount);
    const decidedAt = candleIndex(order.symbol, order.createdAt - tf);
    if (order.side === 'sell') {
      const h = held.get(order.symbol) ?? 0;
      // Property 3: never sell more than is held.
      if (steps > h) fail(`sell ${order.id} of ${steps} steps on ${order.symbol} while ${h} steps are held (candle ${decidedAt})`);
    }
    orders.set(order.id, { symbol: order.symbol, side: order.side, purpose: order.purpose, decidedAt, amountSteps: steps, last: order, fills: [] });
  });
  bus.on('order.updated', ({ order }) => {
    const log = orders.get(order.id);
    if (!log) return fail(`update of unknown order ${order.id}`);
    const counter = counterOf(order.symbol);
    const filled = counter.count(order.filled);
    if (!counter.isWhole(order.filled)) fail(`order ${order.id} filled ${order.filled} is not whole steps`);
    // Property 2: never filled beyond the order.
    if (filled > log.amountSteps) fail(`order ${order.id} filled ${filled} steps of ${log.amountSteps}`);
    // Property 1: filled steps == amount steps means done, at once.
    if (filled === log.amountSteps && order.status !== 'filled') fail(`order ${order.id} has all ${filled} steps filled but status ${order.status}`);
    log.last = order;
  });
  bus.on('order.filled', ({ fill }) => {
    const log = orders.get(fill.orderId);
    if (!log) return fail(`fill of unknown order ${fill.orderId}`);
    const counter = counterOf(fill.symbol);
    if (!counter.isWhole(fill.amount)) fail(`fill ${fill.id} amount ${fill.amount} is not whole steps`);
    const steps = counter.count(fill.amount);
    if (!(steps > 0)) fail(`fill ${fill.id} of ${steps} steps`);
    const index = candleIndex(fill.symbol, fill.time);
    log.fills.push({ index, steps, fill });
    held.set(fill.symbol, (held.get(fill.symbol) ?? 0) + (fill.side === 'buy' ? steps : -steps));
    if ((held.get(fill.symbol) ?? 0) < 0) fail(`holding of ${fill.symbol} went negative after ${fill.id}`);
  });

  /** Orders the engine still follows (as last seen), per symbol: checked on each of its candles. */
  const live = new Map<string, Set<string>>();
  /** After a symbol's candle is matched and synced: the engine's view of each order is the venue's. */
  const checkOrder = (id: string, log: OrderLog, where: string): boolean => {
    const venue = exchange.fetchOrderNow(log.symbol, id);
    const counter = counterOf(log.symbol);
    const seenTerminal = isTerminalStatus(log.last.status);
    if (seenTerminal !== isTerminalStatus(venue.status) || counter.count(log.last.filled) !== counter.count(venue.filled)) {
      fail(`${where}: engine sees order ${id} as ${log.last.status} ${log.last.filled}, venue has ${venue.status} ${venue.filled}`);
    }
    // Property 1, as the engine follows it: open means at least one step left.
    if (!seenTerminal && counter.count(log.last.filled) >= log.amountSteps) fail(`${where}: order ${id} still open with ${log.amountSteps - counter.count(log.last.filled)} steps left`);
    // Property 2: the fills add up to the filled amount, exactly.
    const sum = log.fills.reduce((n, f) => n + f.steps, 0);
    if (sum !== counter.count(log.last.filled)) fail(`${where}: fills of order ${id} add up to ${sum} steps, order says ${counter.count(log.last.filled)}`);
    return seenTerminal;
  };
  bus.on('order.submitted', ({ order }) => {
    let set = live.get(order.symbol);
    if (!set) live.set(order.symbol, (set = new Set()));
    set.add(order.id);
  });
  bus.on('candle.closed', (mc) => {
    const set = live.get(mc.symbol);
    if (!set || set.size === 0) return;
    const where = `${mc.symbol} candle ${candleIndex(mc.symbol, mc.candle.time)}`;
    for (const id of set) if (checkOrder(id, orders.get(id) as OrderLog, where)) set.delete(id);
  });

  const engine = new Engine({
    mode: 'backtest',
    userId: 'u',
    quote,
    timeframe: input.timeframe,
    feed: new ReplayFeed({ timeframe: input.timeframe, series: input.series }),
    exchange,
    matching: exchange,
    strategy: input.strategy,
    ...(input.preload ? { preload: input.series } : {}),
    risk: input.risk,
    store,
    clock,
    bus,
  });
  const report = await engine.run();
  for (const [id, log] of orders) checkOrder(id, log, `${log.symbol} end of run`);
  const storeTrades = await store.listTrades({ userId: 'u' });
  return { report, storeTrades, closedTrades, orders, violations, signals, counters };
}

// ---------------------------------------------------------------------------------------
// Engine vs reference.

/** Whether pnl agrees to a relative 1e-9 of the trade's scale (its pnl or, when larger, what it cost). */
export function pnlClose(a: number, b: number, cost: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), Math.abs(cost), 1e-9);
}

function tradeKey(t: { symbol: string; entryTime: number; exitTime: number }): string {
  return `${t.symbol}|${t.entryTime}|${t.exitTime}`;
}

/** The differences between the engine's trades and the reference's, as sentences (empty when equal). */
export function compareTrades(engineTrades: readonly Trade[], ref: RefResult, counters: ReadonlyMap<string, StepCounter>): string[] {
  const out: string[] = [];
  const sortE = [...engineTrades].sort((x, y) => x.exitTime - y.exitTime || x.entryTime - y.entryTime || x.symbol.localeCompare(y.symbol));
  const sortR = [...ref.trades].sort((x, y) => x.exitTime - y.exitTime || x.entryTime - y.entryTime || x.symbol.localeCompare(y.symbol));
  if (sortE.length !== sortR.length) out.push(`trade count: engine ${sortE.length}, reference ${sortR.length}`);
  const n = Math.min(sortE.length, sortR.length);
  for (let k = 0; k < n; k++) {
    const e = sortE[k] as Trade;
    const r = sortR[k] as RefTrade;
    const counter = counters.get(e.symbol) as StepCounter;
    const why: string[] = [];
    if (tradeKey(e) !== tradeKey(r)) why.push(`times/symbol ${tradeKey(e)} vs ${tradeKey(r)}`);
    if (!counter.isWhole(e.amount) || counter.count(e.amount) !== r.amountSteps) why.push(`amount ${e.amount} (${counter.count(e.amount)} steps) vs ${r.amountSteps} steps`);
    if (!pnlClose(e.pnl, r.pnl, r.buyCost)) why.push(`pnl ${e.pnl} vs ${r.pnl} (cost ${r.buyCost})`);
    if (why.length > 0) {
      out.push(`trade #${k}: ${why.join('; ')}${r.dust ? ` [reference: closed as dust on a ${r.dust} signal]` : ''}`);
      if (out.length > 8) break;
    }
  }
  return out;
}

/** Engine orders and reference orders as comparable lines; `indexOf` maps a candle open time to its index. */
export function orderLines(obs: Observed, ref: RefResult, indexOf: (time: number) => number, tfMs: number): { engine: string[]; reference: string[] } {
  const status = (s: string) => (s === 'open' || s === 'partially_filled' ? 'open' : s);
  const engine = [...obs.orders.values()].map((o) => {
    const counter = obs.counters.get(o.symbol) as StepCounter;
    return `${o.symbol} ${o.side} @${o.decidedAt} ${o.amountSteps} filled ${counter.count(o.last.filled)} ${status(o.last.status)} [${o.fills.map((f) => `${f.index}:${f.steps}`).join(',')}]`;
  });
  // A reference order's decision time is the close of its candle: one bar after its open.
  const reference = ref.orders.map(
    (o) => `${o.symbol} ${o.side} @${indexOf(o.decidedAt - tfMs)} ${o.steps} filled ${o.filledSteps} ${o.status} [${o.fills.map((f) => `${indexOf(f.time)}:${f.steps}`).join(',')}]`,
  );
  return { engine, reference };
}

export function rejectionLines(obs: Observed, ref: RefResult): { engine: string[]; reference: string[] } {
  const counts = new Map<string, number>();
  for (const r of ref.rejections) counts.set(`${r.symbol} ${r.code}`, (counts.get(`${r.symbol} ${r.code}`) ?? 0) + 1);
  return {
    engine: obs.report.orderRejectionCounts.map((c) => `${c.symbol} ${c.code} ×${c.count}`).sort(),
    reference: [...counts].map(([k, n]) => `${k} ×${n}`).sort(),
  };
}

/**
 * Everything that differs between an observed engine run and the reference: broken
 * invariants, trades, orders (amount, fills per candle, end state), rejections, pauses,
 * open positions, and the engine's report against its own trade store.
 */
export function compareRuns(obs: Observed, ref: RefResult, indexOf: (time: number) => number, tfMs: number): string[] {
  const problems = [...obs.violations];
  const byExit = (a: { exitTime: number; entryTime: number; symbol: string }, b: { exitTime: number; entryTime: number; symbol: string }) => a.exitTime - b.exitTime || a.entryTime - b.entryTime || a.symbol.localeCompare(b.symbol);
  if (JSON.stringify([...obs.report.trades].sort(byExit)) !== JSON.stringify([...obs.storeTrades].sort(byExit))) problems.push('report trades differ from the trade store');
  if (JSON.stringify(obs.report.trades) !== JSON.stringify(obs.closedTrades)) problems.push("report trades differ from the bus's trade.closed events");
  problems.push(...compareTrades(obs.report.trades, ref, obs.counters));
  const orders = orderLines(obs, ref, indexOf, tfMs);
  if (orders.engine.join('\n') !== orders.reference.join('\n')) {
    let k = 0;
    while (orders.engine[k] === orders.reference[k]) k += 1;
    problems.push(`orders differ from #${k}: engine ${orders.engine[k] ?? '(none)'} | reference ${orders.reference[k] ?? '(none)'} (engine ${orders.engine.length}, reference ${orders.reference.length})`);
  }
  const rej = rejectionLines(obs, ref);
  if (rej.engine.join(';') !== rej.reference.join(';')) problems.push(`rejections: engine [${rej.engine.join('; ')}] vs reference [${rej.reference.join('; ')}]`);
  const pausesE = obs.report.symbolPauses.map((p) => `${p.symbol} ${p.code} ${p.from}-${p.until}`);
  const pausesR = ref.pauses.map((p) => `${p.symbol} ${p.code} ${p.from}-${p.until}`);
  if (pausesE.join(';') !== pausesR.join(';')) problems.push(`pauses: engine [${pausesE.join('; ')}] vs reference [${pausesR.join('; ')}]`);
  if (obs.report.openPositions !== ref.openPositions) problems.push(`open positions: engine ${obs.report.openPositions}, reference ${ref.openPositions}`);
  return problems;
}
