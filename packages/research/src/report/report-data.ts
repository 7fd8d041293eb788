import type { Candle, PerformanceMetrics, Trade } from '@kairos/core';

/** Everything a report may show; each section is drawn only when present. */
export interface ReportData {
  readonly title: string;
  /** What produced it: 'backtest', 'optimize', 'walk-forward', 'montecarlo', 'lookahead'. */
  readonly kind: string;
  readonly createdAt: string;
  /** Free-form run settings, shown as a table. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly metrics?: PerformanceMetrics;
  readonly equity?: ReadonlyArray<{ time: number; equity: number }>;
  /** Candles with their trades, per symbol (drawn as candlesticks with entry/exit markers). */
  readonly markets?: ReadonlyArray<{ symbol: string; candles: readonly Candle[]; trades: readonly Trade[] }>;
  readonly monteCarlo?: { readonly method: string; readonly fan: ReadonlyArray<readonly number[]>; readonly summary: Readonly<Record<string, unknown>> };
  readonly pareto?: { readonly objectives: readonly string[]; readonly points: ReadonlyArray<{ params: Readonly<Record<string, unknown>>; values: readonly number[] }> };
  readonly heatmaps?: ReadonlyArray<{ title: string; x: string; y: string; xValues: readonly unknown[]; yValues: readonly unknown[]; values: ReadonlyArray<ReadonlyArray<number | null>> }>;
  /** Extra tables (walk-forward windows, lookahead findings…): header + rows. */
  readonly tables?: ReadonlyArray<{ title: string; columns: readonly string[]; rows: ReadonlyArray<readonly unknown[]> }>;
}
