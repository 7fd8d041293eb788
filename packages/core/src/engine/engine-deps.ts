import type { Candle, Timeframe } from '../domain/candle';
import type { Trade } from '../domain/position';
import type { OrderRejection, RejectionCount, SymbolPause } from './rejection-ledger';
import type { EventBus } from '../events/event-bus';
import type { Portfolio } from '../portfolio/portfolio';
import type { CandleFeed } from '../ports/candle-feed';
import type { Clock } from '../ports/clock';
import type { CandleConsumer, ExchangeAdapter } from '../ports/exchange-adapter';
import type { Logger } from '../ports/logger';
import type { RiskPolicy } from '../ports/risk-policy';
import type { Strategy } from '../ports/strategy';
import type { TradeStore } from '../ports/trade-store';
import type { TradingGate } from '../reconcile/trading-gate';
import type { SignalValidator } from '../signals/signal-validator';

/** Where an {@link EngineDeps.mode} run gets its candles and fills: history, a paper replay, or the exchange. */
export type EngineMode = 'backtest' | 'paper' | 'live';

/** Everything an `Engine` is built from: its ports, settings and the strategy. */
export interface EngineDeps {
  readonly mode: EngineMode;
  readonly userId: string;
  /** Quote currency the user trades in (cash). */
  readonly quote: string;
  readonly timeframe: Timeframe;
  readonly feed: CandleFeed;
  readonly exchange: ExchangeAdapter;
  /** Simulated matching: sees each candle before the strategy does. */
  readonly matching?: CandleConsumer;
  readonly strategy: Strategy;
  /** Refuses signals on stale data, before warm-up, or for blacklisted symbols. */
  readonly signalValidator?: SignalValidator;
  /**
   * Candles the feed is about to deliver, per symbol, when known in advance (backtest):
   * indicators are then computed once in batch instead of candle by candle.
   */
  readonly preload?: Readonly<Record<string, readonly Candle[]>>;
  readonly risk: RiskPolicy;
  readonly store: TradeStore;
  /**
   * Blocks new entries while trading is unsafe (reconciliation not passed, store down).
   * Exits always pass. Omitted: entries are always allowed (backtests).
   */
  readonly gate?: TradingGate;
  readonly clock: Clock;
  readonly bus?: EventBus;
  readonly logger?: Logger;
  /**
   * The same exchange rejection `repeats` times in a row for a symbol (default 3) pauses
   * that symbol's orders for `bars` candles (default 24), doubling with each further pause.
   */
  readonly rejectionPause?: { readonly repeats?: number; readonly bars?: number };
  /**
   * Per symbol, a close time up to which candles only warm the strategy's indicators up
   * (a resumed session replaying what it had already traded): they are not matched,
   * decided on or counted.
   */
  readonly warmupUntil?: Readonly<Record<string, number>>;
}

/** A proposal a risk policy refused, kept for the report. */
export interface RiskRejection {
  readonly time: number;
  readonly symbol: string;
  readonly side: string;
  readonly policyId: string;
  readonly reason: string;
}

/** What a run of the `Engine` leaves behind. */
export interface EngineReport {
  readonly mode: EngineMode;
  readonly candles: number;
  readonly startEquity: number;
  readonly trades: readonly Trade[];
  readonly equityCurve: Portfolio['equityCurve'];
  /** Proposals the risk policy refused. */
  readonly rejections: readonly RiskRejection[];
  /** Orders the exchange refused, in order (the first 10,000). */
  readonly orderRejections: readonly OrderRejection[];
  /** Every exchange rejection, counted by symbol and code. */
  readonly orderRejectionCounts: readonly RejectionCount[];
  /** Symbols whose orders were paused after the same rejection repeated. */
  readonly symbolPauses: readonly SymbolPause[];
  /** Holdings left too small to sell (under the market's minimums), valued at last prices. */
  readonly dust: readonly { readonly symbol: string; readonly amount: number; readonly value: number }[];
  readonly ordersPlaced: number;
  readonly strategyErrors: number;
  readonly openPositions: number;
  readonly stopReason: string;
}
