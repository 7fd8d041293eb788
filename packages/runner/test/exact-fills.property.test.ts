/**
 * Exact fills, property-tested: random markets (amount steps from 1e-8 to 1000, prices
 * from 1e-8 to 1e5, minimums, fees, slippage), random-walk candles with jumps, thin and
 * empty candles, volumes that split orders into 1–10 parts, and random signals are run
 * through the real Engine + SimulatedExchange and through the independent reference in
 * reference-simulator.ts. Checked:
 *  1. an order is done as soon as its filled steps equal its amount steps;
 *  2. fills never exceed the order, and an order's fills add up to its filled amount
 *     exactly, in whole steps;
 *  3. no sell is for more steps than are held when it is placed;
 *  4. liveness: with alternating signals on a feasible market, a symbol never goes more
 *     than (split bound + signal block length) candles without placing an order;
 *  5. the trades (and orders, rejections, pauses) equal the reference's.
 */
import { type Candle, type Market, StepCounter } from '@kairos/core';
import { SimulatedExchange } from '@kairos/exchange';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Observed, StepSizing, runObserved, scriptedStrategy } from './exact-fills-harness';
import { PARTICIPATION, type SymbolSpec, build, check, moveArb, scenarioArb, symbolArb } from './exact-fills-scenarios';
import type { Direction, RefResult } from './reference-simulator';

/**
 * Passing runs take about a second; a failure is shrunk for at most a minute (each try
 * replays a whole engine run, and the loop never yields to vitest's timers), then
 * reported with the smallest counterexample found so far. To hunt with other seeds and
 * more runs: KAIROS_PROPERTY_SEED=<n> KAIROS_PROPERTY_RUNS=<runs> KAIROS_LIVENESS_RUNS=<runs>
 * (KAIROS_PROPERTY_TIME_MS bounds the shrinking, KAIROS_PROPERTY_REACH=1 prints coverage).
 */
const SHRINK_LIMIT = fc.interruptAfterTimeLimit(Number(process.env.KAIROS_PROPERTY_TIME_MS ?? 60_000), { failOnInterrupt: false });

/** Totals over all runs, to show the generators reach the interesting cases. */
const reach = { runs: 0, trades: 0, splitOrders: 0, tailFills: 0, dust: 0, dustOnBuy: 0, expired: 0, canceled: 0, rejections: 0, pauses: 0, bigOrders: 0 };

function tally(obs: Observed, ref: RefResult): void {
  reach.runs += 1;
  reach.trades += ref.trades.length;
  reach.dust += ref.trades.filter((t) => t.dust).length;
  reach.dustOnBuy += ref.trades.filter((t) => t.dust === 'buy').length;
  reach.splitOrders += ref.orders.filter((o) => o.fills.length > 1).length;
  reach.expired += ref.orders.filter((o) => o.status === 'expired').length;
  reach.canceled += ref.orders.filter((o) => o.status === 'canceled').length;
  reach.rejections += ref.rejections.length;
  reach.pauses += ref.pauses.length;
  reach.bigOrders += ref.orders.filter((o) => o.steps > 2 ** 30).length;
  for (const o of obs.orders.values()) {
    const fills = o.fills;
    // A last part bigger than the capacity allowed: the tail rule took the remainder.
    if (fills.length > 1 && (fills.at(-1)?.steps ?? 0) > (fills[0]?.steps ?? 0)) reach.tailFills += 1;
  }
}

const randomSignal = fc.constantFrom<Direction | undefined>('buy', 'sell', 'hold', 'hold', undefined);

describe('exact fills: engine vs reference on random markets', () => {
  it('orders end exactly, never overfill or oversell, and trades equal the reference (200 runs)', async () => {
    const arb = scenarioArb({
      symbols: fc.array(symbolArb({ log2Min: 0, log2Max: 36, minMoves: 40, maxMoves: 150, moves: moveArb({ jumps: true, thin: true, signal: randomSignal }) }), { minLength: 1, maxLength: 3 }),
      // Small fractions make entries of a few times the minimum notional: dust after a dip.
      fraction: fc.constantFrom(0.003, 0.006, 0.02, 0.3, 0.5, 0.9, 0.99, 1, 1),
      buffer: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (sc) => {
        const { problems, obs, ref } = await check(sc);
        tally(obs, ref);
        if (process.env.KAIROS_PROPERTY_REACH) console.info(JSON.stringify(reach));
        expect(problems).toEqual([]);
      }),
      { seed: Number(process.env.KAIROS_PROPERTY_SEED ?? 20_240_601), numRuns: Number(process.env.KAIROS_PROPERTY_RUNS ?? 200), plugins: [SHRINK_LIMIT] },
    );
    // The generators must reach splits, tails, dust, expiries, cancels and rejections
    // (checked at the default 200 runs; a short rerun may not reach them all).
    if (reach.runs < 200) return;
    expect(reach.trades).toBeGreaterThan(200);
    expect(reach.splitOrders).toBeGreaterThan(50);
    expect(reach.tailFills).toBeGreaterThan(5);
    expect(reach.dust).toBeGreaterThan(0);
    expect(reach.dustOnBuy, 'a buy over unsellable dust settles it and enters').toBeGreaterThan(0);
    expect(reach.expired).toBeGreaterThan(0);
    expect(reach.canceled).toBeGreaterThan(5);
    expect(reach.rejections).toBeGreaterThan(0);
    expect(reach.pauses).toBeGreaterThan(0);
    expect(reach.bigOrders).toBeGreaterThan(0);
  });

  it('liveness: alternating signals on a feasible market never leave a symbol more than (block + split) candles without an order (60 runs)', async () => {
    // Signals in alternating blocks of 1..R buys then 1..R sells. The market is feasible:
    // entries of 2^10 to 2^36 steps worth ≥ 500 USDT (minimums ≤ 20 USDT and ≤ 5 steps),
    // every candle has volume (an order splits over 1..10 candles), no gaps.
    // An entry placed at t is cancelled or done by the first sell, at most R candles on;
    // the exit placed then fills within the split bound P; the next buy signal comes at
    // most R candles after that. So the gap between orders is at most P + R, where P is
    // the most candles any order of the run needs by the capacity of the candles after it.
    const R = 3;
    const arb = fc
      .record({
        sc: scenarioArb({
          symbols: fc.array(symbolArb({ log2Min: 10, log2Max: 36, minMoves: 1, maxMoves: 1, moves: moveArb({ jumps: false, thin: false, signal: fc.constant(undefined) }) }), { minLength: 1, maxLength: 1 }),
          fraction: fc.constant(0.5),
          buffer: fc.constant(true),
        }),
        blocks: fc.array(fc.integer({ min: 1, max: R }), { minLength: 30, maxLength: 60, size: 'max' }),
        moves: fc.array(moveArb({ jumps: false, thin: false, signal: fc.constant(undefined) }), { minLength: 80, maxLength: 80, size: 'max' }),
      })
      .map(({ sc, blocks, moves }) => {
        const signals: Direction[] = [];
        blocks.forEach((n, k) => {
          for (let j = 0; j < n; j++) signals.push(k % 2 === 0 ? 'buy' : 'sell');
        });
        const s = sc.symbols[0] as SymbolSpec;
        const withSignals = moves.slice(0, signals.length).map((m, i) => ({ ...m, signal: signals[i] }));
        return { ...sc, symbols: [{ ...s, moves: withSignals }] };
      });
    await fc.assert(
      fc.asyncProperty(arb, async (sc) => {
        const { problems, obs } = await check(sc);
        expect(problems).toEqual([]);
        expect(obs.report.orderRejectionCounts, 'a feasible market refuses nothing').toEqual([]);
        expect(obs.report.dust, 'a feasible market leaves no dust').toEqual([]);
        const s = sc.symbols[0] as SymbolSpec;
        const symbol = 'AAA/USDT';
        const candles = build(sc).series[symbol] as Candle[];
        const counter = new StepCounter(s.step);
        const orders = [...obs.orders.values()].filter((o) => o.symbol === symbol);
        // P: candles each order needs at most, from the capacity of the candles after it.
        let P = 1;
        for (const o of orders) {
          let cum = 0;
          for (let i = o.decidedAt + 1; i < candles.length; i++) {
            cum += counter.floor((candles[i] as Candle).volume * PARTICIPATION);
            if (cum >= o.amountSteps) {
              P = Math.max(P, i - o.decidedAt);
              break;
            }
          }
        }
        expect(P, 'the volumes split an order over at most ~10 candles').toBeLessThanOrEqual(12);
        const bound = P + R;
        let prev = -1;
        // Up to the last candle: a run that ends is no excuse for a longer gap before it.
        for (const at of [...orders.map((o) => o.decidedAt), candles.length - 1]) {
          expect(at - prev, `candles from ${prev} to the order at ${at} (P ${P}, blocks ≤ ${R})`).toBeLessThanOrEqual(bound);
          prev = at;
        }
        expect(orders.length).toBeGreaterThan(candles.length / (2 * bound));
      }),
      { seed: Number(process.env.KAIROS_PROPERTY_SEED ?? 7_300_101), numRuns: Number(process.env.KAIROS_LIVENESS_RUNS ?? 60), plugins: [SHRINK_LIMIT] },
    );
  });
});

/**
 * Engine bugs the property test found (seeds 1 and 2 at 1,500 runs: about one run in a
 * thousand hits it), minimised from the counterexamples. Both failed before the fix.
 */
describe('found by the exact-fills property test', () => {
  const market = (base: string): Market => ({ symbol: `${base}/USDT`, base, quote: 'USDT', active: true, amountStep: 1e-8, priceStep: 0.01, minAmount: 0, minNotional: 0, makerFee: 0, takerFee: 0 });
  const flat = (time: number, price: number): Candle => ({ time, open: price, high: price, low: price, close: price, volume: 1e6 });

  // SimulatedBalances keeps the quote's reserved ("used") balance as a running float sum
  // over every order. After two buys reserved all the cash (500 + 499.99976), the sum has
  // drifted by ~1e-13 from the one order left, and releasing that order's leftover reserve
  // (0.00072: it filled a few cents below the price it reserved at) took `used` to
  // -5.7e-14. `move` allowed noise relative to the operands of that move only (1e-12 ×
  // ~0.0015), not to the 1000 the sum was built from, and threw INTERNAL; it now allows
  // noise relative to the largest balance the currency has had.
  it('two buys that reserve all the cash and fill a few cents lower leave the simulated exchange consistent (it threw "balance of USDT would go negative")', () => {
    const ex = new SimulatedExchange({ markets: [market('AAA'), market('BBB')], balances: { USDT: 1000 }, slippageBps: 0 });
    ex.processCandle('AAA/USDT', flat(0, 50_000), 1000);
    ex.processCandle('BBB/USDT', flat(0, 52_000), 1000);
    ex.createOrderNow({ clientOrderId: 'a', symbol: 'AAA/USDT', side: 'buy', type: 'market', amount: 0.01, purpose: 'entry' });
    ex.createOrderNow({ clientOrderId: 'b', symbol: 'BBB/USDT', side: 'buy', type: 'market', amount: 0.00961538, purpose: 'entry' });
    ex.processCandle('AAA/USDT', flat(1000, 49_999.99), 1000);
    // Threw: KairosError INTERNAL "balance of USDT would go negative (free 0.00072…, used -5.68e-14)".
    expect(() => ex.processCandle('BBB/USDT', flat(1000, 51_999.96), 1000)).not.toThrow();
    expect(ex.fetchOrderNow('BBB/USDT', 'sim-2').status).toBe('filled');
  });

  it('the same through Engine.run: half the cash on each of two symbols, next opens a few cents lower, and the backtest ends with both positions (it aborted)', async () => {
    const H = 3_600_000;
    const run = runObserved({
      markets: [market('AAA'), market('BBB')],
      series: { 'AAA/USDT': [flat(0, 50_000), flat(H, 49_999.99)], 'BBB/USDT': [flat(0, 52_000), flat(H, 51_999.96)] },
      timeframe: '1h',
      cash: 1000,
      strategy: scriptedStrategy({ 'AAA/USDT': ['buy'], 'BBB/USDT': ['buy'] }),
      risk: new StepSizing({ fraction: 0.5, buffer: true, slippageBps: 0 }),
      slippageBps: 0,
      volumeParticipation: 0.1,
    });
    // Rejected with the same INTERNAL error instead of ending with two open positions.
    const obs = await run;
    expect(obs.report.openPositions).toBe(2);
    expect(obs.violations).toEqual([]);
  });
});
