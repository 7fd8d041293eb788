import type { Trade } from '@kairos/core';
import type { SeriesColumns, SweepFillConfig } from './fill-model';
import { stepFloorer } from '@kairos/core';

/** What one simulated run leaves; trades and the curve only when asked to record. */
export interface SimulationOutcome {
  readonly trades: number;
  readonly wins: number;
  readonly netProfit: number;
  readonly grossProfit: number;
  readonly grossLoss: number;
  readonly fees: number;
  readonly endEquity: number;
  readonly maxDrawdownPct: number;
  /** Fills that the Engine would have split over several candles (volume bound); see docs. */
  readonly volumeLimited: number;
  /** Orders the risk sizing or the exchange would have refused (too small, no funds). */
  readonly rejected: number;
  /** Sum, sum of squares and count of per-candle equity returns (for the Sharpe ratio). */
  readonly retSum: number;
  readonly retSumSq: number;
  readonly retCount: number;
  readonly tradeList?: Trade[];
  /** Equity at each candle's close time (after its decision), when recording. */
  readonly equity?: Float64Array;
}

const EPS = 1e-12;
const BUY = 1;
const SELL = -1;

/**
 * Replays signals through the Engine's execution rules on one symbol, one long position
 * at a time, with typed arrays and no allocation per candle:
 *
 * - a signal at candle i's close becomes a market order that fills at candle i+1's open,
 *   moved against the taker by `slippageBps` (a candle with no volume delays it);
 * - entries are `fraction` of equity (cash + position at the close), capped by free cash
 *   less `feeBuffer`, floored to the amount step, refused under the minimum amount or
 *   notional, and refused when the exchange's worst-case reservation exceeds free cash;
 * - exits sell the whole held amount (floored to the step) and need the minimum notional;
 * - a buy gapping beyond the reservation draws the difference from free cash, and fills
 *   what it can afford when short, as the simulated exchange does;
 * - the taker fee is charged in quote on each fill.
 *
 * Fills are assumed to fit in `volumeParticipation` × the candle's volume; a fill that
 * would not is still made whole and counted in `volumeLimited` (the Engine would split it).
 * Signals before `startIndex` are ignored (the strategy's warm-up).
 */
export function simulateLong(s: SeriesColumns, signals: Int8Array, cfg: SweepFillConfig, startIndex: number, record = false): SimulationOutcome {
  const m = s.market;
  const step = m.amountStep;
  // Same results as core's floorToStep, without its string round trip (hot path).
  const floor = stepFloorer(step);
  const slip = cfg.slippageBps / 10_000;
  const taker = m.takerFee;
  const reserveFee = Math.max(m.makerFee, m.takerFee);
  const dust = Math.max(m.minAmount, step);
  const n = s.close.length;
  const { open, close, volume, time } = s;
  const trades: Trade[] | undefined = record ? [] : undefined;
  const equity = record ? new Float64Array(n) : undefined;

  let cash = cfg.initialCash; // the portfolio's cash
  let exFree = cfg.initialCash; // the exchange's free quote (cash less reservations)
  let held = 0;
  let inTrade = false;
  let dustAmt = 0;
  let dustPx = 0;
  // The one pending order: side 0 = none.
  let pSide = 0;
  let pAmount = 0;
  let pReserved = 0;
  // The open round trip.
  let rtEntryValue = 0;
  let rtBought = 0;
  let rtBuyCost = 0;
  let rtCostLeft = 0;
  let rtProceeds = 0;
  let rtExitValue = 0;
  let rtSold = 0;
  let rtFees = 0;
  let rtOpened = 0;
  let seq = 0;

  let nTrades = 0;
  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let fees = 0;
  let volumeLimited = 0;
  let rejected = 0;
  let peak = Number.NEGATIVE_INFINITY;
  let maxDd = 0;
  let prevEq = Number.NaN;
  let retSum = 0;
  let retSumSq = 0;
  let retCount = 0;

  for (let i = 0; i < n; i++) {
    const c = close[i] as number;
    // 1. The pending order meets this candle.
    if (pSide !== 0) {
      const capacity = (volume[i] as number) * cfg.volumeParticipation;
      if (capacity > EPS) {
        const o = open[i] as number;
        const price = pSide === BUY ? o * (1 + slip) : o * (1 - slip);
        if (capacity < pAmount - EPS) volumeLimited += 1;
        let amount = pAmount;
        let fill = true;
        if (pSide === BUY) {
          const need = amount * price * (1 + taker) - pReserved;
          const take = Math.min(Math.max(0, need), exFree);
          if (take > 0) {
            exFree -= take;
            pReserved += take;
          }
          // The exchange's rule: the whole order when its cost is the reserve up to float
          // noise (the reserve is that product), else what the reserve buys, floored.
          const unitCost = price * (1 + taker);
          const affordable = amount * unitCost <= pReserved * (1 + 1e-12) ? amount : floor(pReserved / unitCost);
          amount = floor(Math.min(amount, affordable));
          if (amount <= EPS) fill = false;
        }
        if (fill) {
          // Float path of the exchange's average price and the tracker's fill price.
          const avg = (amount * price) / amount;
          const fpx = (avg * amount) / amount;
          const feeCost = amount * price * taker;
          const gross = fpx * amount;
          if (pSide === BUY) {
            pReserved -= amount * price + feeCost;
            exFree += pReserved; // the rest of the reservation goes back
            const cost = gross + feeCost;
            cash -= cost;
            if (!inTrade) {
              inTrade = true;
              held = dustAmt;
              dustAmt = 0;
              rtEntryValue = rtBought = rtBuyCost = rtCostLeft = rtProceeds = rtExitValue = rtSold = rtFees = 0;
              rtOpened = time[i] as number;
            }
            held += amount;
            rtEntryValue += gross;
            rtBought += amount;
            rtBuyCost += cost;
            rtCostLeft += cost;
            rtFees += feeCost;
          } else {
            const net = gross - feeCost;
            exFree += amount * price - feeCost;
            const share = held > 0 ? Math.min(1, amount / held) : 1;
            const costPart = rtCostLeft * share;
            cash += net;
            held = Math.max(0, held - amount);
            rtCostLeft -= costPart;
            rtProceeds += net;
            rtExitValue += gross;
            rtSold += amount;
            rtFees += feeCost;
            if (held < dust) {
              inTrade = false;
              if (held > 0) {
                dustAmt = held;
                dustPx = fpx;
              }
              held = 0;
              const pnl = rtProceeds - rtBuyCost;
              nTrades += 1;
              fees += rtFees;
              if (pnl > 0) {
                wins += 1;
                grossProfit += pnl;
              } else grossLoss -= pnl;
              if (trades) {
                seq += 1;
                trades.push({
                  id: `${s.symbol}:${rtOpened}:${seq}`,
                  userId: 'sweep',
                  symbol: s.symbol,
                  side: 'long',
                  strategyId: '',
                  entryTime: rtOpened,
                  entryPrice: rtBought > 0 ? rtEntryValue / rtBought : 0,
                  exitTime: time[i] as number,
                  exitPrice: rtSold > 0 ? rtExitValue / rtSold : 0,
                  amount: rtBought,
                  pnl,
                  pnlPct: rtBuyCost > 0 ? (pnl / rtBuyCost) * 100 : 0,
                  fees: rtFees,
                });
              }
            }
          }
        } else exFree += pReserved; // expired: funds short
        pSide = 0;
        pReserved = 0;
      }
    }
    // 2. Mark to the close; equity as the Engine records it for this candle.
    if (dustAmt > 0) dustPx = c;
    const eq = cash + (inTrade ? held * c : 0) + dustAmt * dustPx;
    if (equity) equity[i] = eq;
    if (prevEq > 0) {
      const r = eq / prevEq - 1;
      retSum += r;
      retSumSq += r * r;
      retCount += 1;
    }
    prevEq = eq;
    if (eq > peak) peak = eq;
    else if (peak - eq > maxDd * peak && peak > 0) maxDd = (peak - eq) / peak;
    // 3. The decision at this close.
    if (i < startIndex) continue;
    const sig = signals[i] as number;
    if (sig === BUY) {
      if (inTrade || pSide !== 0) continue;
      const budget = Math.min(eq * cfg.fraction, cash * (1 - cfg.feeBuffer));
      const wanted = budget / c;
      if (!(wanted > 0)) {
        rejected += 1;
        continue;
      }
      let amount = floor(wanted);
      if (m.maxAmount !== undefined && amount > m.maxAmount) amount = floor(m.maxAmount);
      if (!(amount > 0) || amount < m.minAmount || amount * c < m.minNotional) {
        rejected += 1;
        continue;
      }
      // Same association as the exchange: amount × (price × (1 + slip)) × (1 + fee).
      const reserve = amount * (c * (1 + slip)) * (1 + reserveFee);
      if (reserve > exFree + EPS) {
        rejected += 1;
        continue;
      }
      const r = Math.min(reserve, exFree);
      exFree -= r;
      pSide = BUY;
      pAmount = amount;
      pReserved = r;
    } else if (sig === SELL) {
      if (!inTrade || pSide !== 0) continue;
      const amount = floor(held);
      const tooBig = m.maxAmount !== undefined && amount > m.maxAmount;
      if (!(amount > 0) || amount < m.minAmount - EPS || amount * c < m.minNotional - EPS || tooBig) {
        rejected += 1;
        continue;
      }
      pSide = SELL;
      pAmount = amount;
      pReserved = 0;
    }
    // Flat with nothing pending: equity stays at cash until the next buy signal, so the
    // candles in between are accounted in bulk (zero returns) instead of one by one.
    if (pSide === 0 && !inTrade && dustAmt === 0 && eq === cash) {
      let j = signals.indexOf(BUY, Math.max(i + 1, startIndex));
      if (j < 0) j = n;
      if (j > i + 1) {
        if (equity) equity.fill(cash, i + 1, j);
        if (cash > 0) retCount += j - i - 1;
        i = j - 1;
      }
    }
  }
  const endEq = n > 0 ? cash + (inTrade ? held * (close[n - 1] as number) : 0) + dustAmt * dustPx : cfg.initialCash;
  return {
    trades: nTrades,
    wins,
    netProfit: grossProfit - grossLoss,
    grossProfit,
    grossLoss,
    fees,
    endEquity: endEq,
    maxDrawdownPct: maxDd * 100,
    volumeLimited,
    rejected,
    retSum,
    retSumSq,
    retCount,
    ...(trades ? { tradeList: trades } : {}),
    ...(equity ? { equity } : {}),
  };
}
