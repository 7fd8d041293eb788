import { type Candle, Engine, type EngineReport, EventBus, type Market, MemoryTradeStore, type OrderProposal, type RiskPolicy, SimulatedClock, type Strategy } from '@kairos/core';
import { ReplayFeed, SimulatedExchange } from '@kairos/exchange';
import { CompositeRiskPolicy, ExposureLimits } from '@kairos/risk';
import { describe, expect, it } from 'vitest';
import { rejectionLines } from '../src/cli/rejection-report';

// The defects seen on thin, cheap coins (issue 15), each replayed on a hand-made market
// whose numbers are the ones that broke: amounts of hundreds of thousands of units in
// steps of 0.1, split by the volume cap into parts whose float sum is off the step.

const H = 3_600_000;
const SYMBOL = 'CHEAP/USDT';
const market = (over: Partial<Market> = {}): Market => ({
  symbol: SYMBOL,
  base: 'CHEAP',
  quote: 'USDT',
  active: true,
  amountStep: 0.1,
  priceStep: 0.000001,
  minAmount: 0.1,
  minNotional: 5,
  makerFee: 0.001,
  takerFee: 0.001,
  ...over,
});

/** Flat candles at `price`; `volumes[i]` (default plenty) caps what fills on candle i (10% of it). */
function candles(n: number, price: number, volumes: Record<number, number> = {}, prices: Record<number, number> = {}): Candle[] {
  return Array.from({ length: n }, (_, i) => {
    const p = prices[i] ?? price;
    return { time: i * H, open: p, high: p, low: p, close: p, volume: volumes[i] ?? 1e12 };
  });
}

/** Buys on the listed bars, sells on others: decisions are made on the bar's close. */
function scripted(buys: readonly number[], sells: readonly number[]): Strategy {
  let bar = -1;
  return {
    id: 'scripted',
    warmup: 0,
    indicators: {},
    decide(view) {
      bar += 1;
      const direction = buys.includes(bar) ? 'buy' : sells.includes(bar) ? 'sell' : undefined;
      if (!direction) return null;
      return { symbol: view.symbol, time: view.time, direction, strength: direction === 'buy' ? 1 : -1, confidence: 1, source: 'scripted', reason: direction };
    },
  };
}

/** Sizes every buy at exactly `amount` (the amounts that broke), exits as proposed. */
function fixedAmount(amount: number): RiskPolicy {
  return {
    id: 'fixed-amount',
    evaluate: (p: OrderProposal) => ({ verdict: 'approve', proposal: p.purpose === 'entry' ? { ...p, amount } : p, notes: [] }),
  };
}

async function run(opts: { market?: Market; candles: Candle[]; strategy: Strategy; risk: RiskPolicy; cash?: number; base?: number }) {
  const m = opts.market ?? market();
  const exchange = new SimulatedExchange({ markets: [m], balances: { USDT: opts.cash ?? 1_000_000, ...(opts.base ? { CHEAP: opts.base } : {}) }, slippageBps: 0 });
  const bus = new EventBus();
  const submitted: Array<{ side: string; amount: number }> = [];
  const paused: string[] = [];
  bus.on('order.submitted', ({ order }) => submitted.push({ side: order.side, amount: order.amount }));
  bus.on('symbol.paused', ({ pause }) => paused.push(`${pause.symbol} ${pause.code}`));
  const store = new MemoryTradeStore();
  const engine = new Engine({
    mode: 'backtest',
    userId: 'u',
    quote: 'USDT',
    timeframe: '1h',
    feed: new ReplayFeed({ timeframe: '1h', series: { [SYMBOL]: opts.candles } }),
    exchange,
    matching: exchange,
    strategy: opts.strategy,
    risk: opts.risk,
    store,
    clock: new SimulatedClock(),
    bus,
  });
  const report: EngineReport = await engine.run();
  const open = await exchange.fetchOpenOrders();
  const balance = await exchange.fetchBalance();
  return { report, submitted, paused, open, balance, store };
}

describe('thin-market defects (issue 15)', () => {
  it('1. a market sell split 457425.6 + 130636.7 completes: the order is filled, not left partially filled for a 1.2e-10 remainder', async () => {
    // Sell 588062.3 with 457425.6 of room on the first candle (10% of 4574256), the rest on the next.
    const ex = new SimulatedExchange({ markets: [market()], balances: { USDT: 0, CHEAP: 588062.3 }, slippageBps: 0 });
    ex.processCandle(SYMBOL, candles(1, 0.01)[0] as Candle, H);
    const order = await ex.createOrder({ type: 'market', symbol: SYMBOL, side: 'sell', amount: 588062.3, purpose: 'exit', clientOrderId: 's1' });
    ex.processCandle(SYMBOL, { time: H, open: 0.01, high: 0.01, low: 0.01, close: 0.01, volume: 4574256 }, H);
    expect((await ex.fetchOrder(SYMBOL, order.id)).filled).toBe(457425.6);
    ex.processCandle(SYMBOL, { time: 2 * H, open: 0.01, high: 0.01, low: 0.01, close: 0.01, volume: 1e9 }, H);
    const done = await ex.fetchOrder(SYMBOL, order.id);
    expect(done.status).toBe('filled');
    expect(done.filled).toBe(588062.3);
    expect(await ex.fetchOpenOrders()).toEqual([]);
    expect((await ex.fetchBalance()).CHEAP?.total).toBe(0);
  });

  it('1. through the Engine: the split exit closes the trade and the symbol trades again', async () => {
    const c = candles(12, 0.01, { 4: 4574256 });
    const { report, open } = await run({ candles: c, strategy: scripted([0, 6], [3, 9]), risk: fixedAmount(588062.3) });
    expect(open).toEqual([]);
    expect(report.trades.map((t) => t.amount)).toEqual([588062.3, 588062.3]);
    expect(report.openPositions).toBe(0);
    expect(report.orderRejectionCounts).toEqual([]);
  });

  it('2. a buy filled as 299.2 + 112778.4 (float sum 113077.59999999999) is sold whole, never rounded up above the holding', async () => {
    const c = candles(10, 0.05, { 1: 2992 });
    const { report, submitted, balance } = await run({ candles: c, strategy: scripted([0], [4]), risk: fixedAmount(113077.6) });
    expect(submitted).toEqual([
      { side: 'buy', amount: 113077.6 },
      { side: 'sell', amount: 113077.6 },
    ]);
    expect(report.orderRejectionCounts, 'no INSUFFICIENT_FUNDS on the exit').toEqual([]);
    expect(report.trades).toHaveLength(1);
    expect(balance.CHEAP?.total ?? 0).toBe(0);
  });

  it('3. every exchange rejection is counted by symbol and code; the same one 3 times pauses the symbol with one notice', async () => {
    // Sized far beyond the cash: every buy is refused INSUFFICIENT_FUNDS.
    const buys = Array.from({ length: 40 }, (_, i) => i);
    const { report, submitted, paused } = await run({ candles: candles(40, 1), strategy: scripted(buys, []), risk: fixedAmount(5000), cash: 100 });
    expect(submitted).toEqual([]);
    // Bars 0-2 are refused and pause the symbol for 24 bars; bars 26-28 are refused again
    // and pause it for 48: 6 orders reach the venue in 40 bars, not 40.
    expect(paused, 'one notice per pause').toEqual([`${SYMBOL} INSUFFICIENT_FUNDS`, `${SYMBOL} INSUFFICIENT_FUNDS`]);
    expect(report.orderRejectionCounts).toEqual([{ symbol: SYMBOL, code: 'INSUFFICIENT_FUNDS', count: 6 }]);
    expect(report.orderRejections.map((r) => r.time / H - 1)).toEqual([0, 1, 2, 26, 27, 28]);
    expect(report.symbolPauses.map((p) => (p.until - p.from) / H)).toEqual([24, 48]);
    const lines = rejectionLines(report, 'USDT');
    expect(lines).toContain(`order rejections: 6 (${SYMBOL} INSUFFICIENT_FUNDS ×6)`);
    expect(lines.some((l) => l.startsWith(`paused: ${SYMBOL} after 3× INSUFFICIENT_FUNDS`))).toBe(true);
  });

  it('4. with the exposure limit, a completed split exit leaves nothing "already held": the next entry is taken', async () => {
    const c = candles(14, 0.01, { 1: 4574256, 5: 4574256 });
    const risk = new CompositeRiskPolicy([fixedAmount(588062.3), new ExposureLimits({ maxSymbolExposure: 1, maxTotalExposure: 1 })]);
    const { report, submitted } = await run({ candles: c, strategy: scripted([0, 8], [4, 11]), risk, cash: 10_000 });
    expect(report.rejections.filter((r) => /already held/.test(r.reason))).toEqual([]);
    expect(submitted.filter((s) => s.side === 'buy')).toHaveLength(2);
    expect(report.trades).toHaveLength(2);
  });

  it('5. an exit while the entry is still filling cancels the entry first and sells what filled: no remainder is left', async () => {
    // The entry fills 1,000 units a candle; the sell comes after three candles.
    const vols = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, 10_000]));
    const c = candles(20, 1, vols);
    const { report, submitted, open, balance } = await run({ candles: c, strategy: scripted([0, 10], [3]), risk: fixedAmount(20_000), cash: 100_000 });
    expect(submitted[1]).toEqual({ side: 'sell', amount: 3000 });
    expect(report.trades[0]?.amount, 'the position is what actually filled').toBe(3000);
    expect(open.filter((o) => o.side === 'buy' && o.createdAt < 3 * H), 'the first entry was cancelled').toEqual([]);
    expect(report.orderRejectionCounts).toEqual([]);
    // The second entry (bar 10) was accepted: the symbol is not frozen.
    expect(submitted.filter((s) => s.side === 'buy')).toHaveLength(2);
    expect(balance.CHEAP?.used ?? 0).toBe(0);
  });

  it('5. a holding worth less than the minimum notional is dust: never sent, reported, and no block on the next entry', async () => {
    // Bought 10 units at 1 USDT; the price falls to 0.2, so the 10 units are worth 2 USDT (< 5).
    const c = candles(12, 1, {}, { 3: 0.2, 4: 0.2, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 });
    const { report, submitted } = await run({ candles: c, strategy: scripted([0, 6], [4, 9]), risk: fixedAmount(10) });
    expect(submitted.map((s) => s.side)).toEqual(['buy', 'buy', 'sell']);
    expect(report.orderRejectionCounts, 'the unsellable exit is never sent').toEqual([]);
    expect(report.trades).toHaveLength(2);
    expect(report.trades[0]?.exitReason).toBe('sell');
    // The dust joined the second position and was sold with it.
    expect(submitted[2]).toEqual({ side: 'sell', amount: 20 });
    expect(report.dust).toEqual([]);
  });

  it('5. dust never blocks an entry: a buy signal over an unsellable holding settles it and enters', async () => {
    // 10 units bought at 1 USDT are worth 2 USDT once the price is 0.2: under the 5 USDT minimum.
    const c = candles(10, 1, {}, { 3: 0.2, 4: 0.2, 5: 0.2, 6: 0.2, 7: 0.2, 8: 0.2, 9: 0.2 });
    const tenUsdt: RiskPolicy = { id: 'ten-usdt', evaluate: (p) => ({ verdict: 'approve', proposal: p.purpose === 'entry' ? { ...p, amount: Math.floor(10 / p.price) } : p, notes: [] }) };
    const { report, submitted } = await run({ candles: c, strategy: scripted([0, 5], []), risk: tenUsdt });
    expect(submitted).toEqual([
      { side: 'buy', amount: 10 },
      { side: 'buy', amount: 50 },
    ]);
    expect(report.trades).toHaveLength(1);
    expect(report.trades[0]?.exitReason).toMatch(/dust/);
    expect(report.openPositions).toBe(1);
    expect(report.orderRejectionCounts).toEqual([]);
  });

  it('5. dust left at the end is reported in the report and the text output', async () => {
    const c = candles(6, 1, {}, { 3: 0.2, 4: 0.2, 5: 0.2 });
    const { report } = await run({ candles: c, strategy: scripted([0], [4]), risk: fixedAmount(10) });
    expect(report.openPositions).toBe(0);
    expect(report.dust).toEqual([{ symbol: SYMBOL, amount: 10, value: 2 }]);
    expect(rejectionLines(report, 'USDT')).toContain(`dust: ${SYMBOL} 10 left unsellable (2.0000 USDT, in equity)`);
  });
});
