/**
 * Exact fills on real candles: the four built-in strategies on PEPE, DOGE and BTC at 1h,
 * PEPE and DOGE at 5m, BTC (Bybit, one day) and DOGE (2021, from the shared data set)
 * at 1m, run through the real Engine + SimulatedExchange with a plain sizing policy
 * (half the cash, no stops), and through the independent reference simulator on the
 * same candles, signals and market rules. Trades must agree exactly in count, times and
 * whole-step amounts, and in pnl to 1e-9; orders must agree fill by fill. 10,000 USDT at
 * half the cash makes PEPE orders hundreds of millions of units and BTC 1m orders
 * larger than the 10% volume cap of most minutes, so fills split.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Candle, type Market, type Timeframe, builtinStrategies, runStrategy, timeframeMs } from '@kairos/core';
import { type CcxtMarketShape, loadCandleFile, marketFromCcxt, syntheticMarket } from '@kairos/exchange';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/wiring/data-dir';
import { type SizingRule, StepSizing, compareRuns, entrySteps, refMarket, runObserved } from './exact-fills-harness';
import { type Direction, simulateReference } from './reference-simulator';

const DATA = defaultDataDir();
const SHARED_DOGE_2021 = join(dirname(DATA), '..', 'shared', 'data', 'spot_2021_1m', 'DOGE_USDT-1m.csv');
const STRATEGIES = ['ma-cross', 'rsi-divergence', 'bollinger-breakout', 'macd-trend'] as const;
/** Longer files would be cut to their last candles (to keep the file well under a minute); all of these fit. */
const MAX_CANDLES = 50_000;
const CASH = 10_000;
const SLIPPAGE_BPS = 5;
const PARTICIPATION = 0.1;
const RULE: SizingRule = { fraction: 0.5, buffer: true, slippageBps: SLIPPAGE_BPS };

interface DataSet {
  readonly name: string;
  readonly path: string;
}

const DATASETS: readonly DataSet[] = [
  { name: 'PEPE 1h', path: join(DATA, 'PEPE_USDT-1h.csv') },
  { name: 'DOGE 1h', path: join(DATA, 'DOGE_USDT-1h.csv') },
  { name: 'BTC 1h', path: join(DATA, 'BTC_USDT-1h.csv') },
  { name: 'PEPE 5m', path: join(DATA, 'PEPE_USDT-5m.csv.gz') },
  { name: 'DOGE 5m', path: join(DATA, 'DOGE_USDT-5m.csv.gz') },
  { name: 'BTC 1m (Bybit, one day)', path: join(DATA, 'BTC_USDT-1m.csv') },
];

/** Market rules as `createSimulation` picks them: the bundled ccxt sample, else derived from the candles; fees 0.1%. */
async function marketFor(symbol: string, candles: readonly Candle[]): Promise<Market> {
  const sample = JSON.parse(await readFile(join(DATA, 'markets', 'binance-spot-sample.json'), 'utf8')) as Record<string, CcxtMarketShape>;
  const m = sample[symbol];
  const base = m ? marketFromCcxt(m, 'decimals') : syntheticMarket(symbol, candles);
  return { ...base, makerFee: 0.001, takerFee: 0.001 };
}

const loaded = new Map<string, Promise<{ symbol: string; timeframe: Timeframe; candles: Candle[]; market: Market }>>();
function load(path: string) {
  let p = loaded.get(path);
  if (!p) {
    p = (async () => {
      const file = await loadCandleFile(path);
      const candles = file.candles.slice(-MAX_CANDLES);
      return { symbol: file.symbol, timeframe: file.timeframe, candles, market: await marketFor(file.symbol, candles) };
    })();
    loaded.set(path, p);
  }
  return p;
}

/** Totals across the file, to show that the thin candles did split orders. */
const totals = { cases: 0, trades: 0, orders: 0, splitOrders: 0, tailFills: 0, dust: 0, rejections: 0, maxOrderSteps: 0 };

async function runCase(path: string, strategyId: string): Promise<void> {
  const { symbol, timeframe, candles, market } = await load(path);
  const registry = builtinStrategies();
  const obs = await runObserved({
    markets: [market],
    series: { [symbol]: candles },
    timeframe,
    cash: CASH,
    strategy: registry.create(strategyId),
    risk: new StepSizing(RULE),
    slippageBps: SLIPPAGE_BPS,
    volumeParticipation: PARTICIPATION,
    preload: true,
  });

  // The signals, from the strategy's batch form over the same candles (a fresh instance).
  const tf = timeframeMs(timeframe);
  const indexOfOpen = new Map(candles.map((c, i) => [c.time, i]));
  const batch = runStrategy(registry.create(strategyId), { symbol, timeframe, candles });
  const signals: Array<Direction | undefined> = new Array(candles.length).fill(undefined);
  for (const s of batch) {
    const i = indexOfOpen.get(s.time - tf);
    if (i === undefined) throw new Error(`signal at ${s.time} matches no candle close`);
    signals[i] = s.direction;
  }
  // The engine acted on exactly these (its 'signal.generated' events are the non-hold ones).
  const acted = (list: ReadonlyArray<{ time: number; direction: string }>) => list.filter((s) => s.direction !== 'hold').map((s) => `${s.time} ${s.direction}`);
  expect(acted(obs.signals), 'the engine saw the batch signals').toEqual(acted(batch));

  const ref = simulateReference([{ market: refMarket(market), candles, signals }], {
    cash: CASH,
    timeframeMs: tf,
    slippageBps: SLIPPAGE_BPS,
    volumeParticipation: PARTICIPATION,
    size: (x) => entrySteps(RULE, x),
  });
  const problems = compareRuns(obs, ref, (time) => indexOfOpen.get(time) ?? -1, tf);
  expect(problems, `${symbol} ${timeframe} ${strategyId}: engine vs reference`).toEqual([]);
  expect(obs.report.trades.length, 'trade count').toBe(ref.trades.length);
  // Rejections are only those the reference predicts (compared above); on these markets
  // with half the cash there are none.
  expect(obs.report.orderRejectionCounts, 'no order is refused').toEqual([]);

  totals.cases += 1;
  totals.trades += ref.trades.length;
  totals.orders += ref.orders.length;
  totals.splitOrders += ref.orders.filter((o) => o.fills.length > 1).length;
  totals.dust += ref.trades.filter((t) => t.dust).length;
  totals.rejections += ref.rejections.length;
  for (const o of ref.orders) totals.maxOrderSteps = Math.max(totals.maxOrderSteps, o.steps);
  for (const o of obs.orders.values()) if (o.fills.length > 1 && (o.fills.at(-1)?.steps ?? 0) > (o.fills[0]?.steps ?? 0)) totals.tailFills += 1;
}

describe('thin markets: engine vs reference on real candles', () => {
  for (const ds of DATASETS) {
    describe(ds.name, () => {
      for (const id of STRATEGIES) it(`${id} trades exactly as the reference`, () => runCase(ds.path, id));
    });
  }

  describe('DOGE 1m (2021, shared data set)', () => {
    for (const id of STRATEGIES) {
      it.skipIf(!existsSync(SHARED_DOGE_2021))(`${id} trades exactly as the reference [needs ../shared/data/spot_2021_1m/DOGE_USDT-1m.csv]`, () => runCase(SHARED_DOGE_2021, id));
    }
  });

  it('the suite is meaningful: orders were split across candles, PEPE orders were hundreds of millions of steps', () => {
    expect(totals.cases).toBeGreaterThanOrEqual(DATASETS.length * STRATEGIES.length);
    expect(totals.trades).toBeGreaterThan(100);
    expect(totals.splitOrders, 'some fills were split by the volume cap').toBeGreaterThan(0);
    expect(totals.maxOrderSteps).toBeGreaterThan(1e8);
  });

  afterAll(() => {
    console.info(`thin markets: ${JSON.stringify(totals)}`);
  });
});
