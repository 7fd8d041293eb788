import { type StrategyDefinition, parseStrategyParams } from '@kairos/core';
import { DEFAULT_FILL, type SweepFillConfig } from './fill-model';
import { maCrossKernel } from './ma-cross-kernel';
import type { SeriesData } from './series-data';
import { type FastSignalKernel, strategySignals } from './signal-source';
import { type SimulationOutcome, simulateLong } from './simulate-long';

/** Kernels shipped for the built-in strategies; others take the generic path. */
export const BUILTIN_KERNELS: readonly FastSignalKernel[] = [maCrossKernel];

export interface SweepOptions {
  readonly definition: StrategyDefinition;
  readonly series: readonly SeriesData[];
  /** Raw parameter sets; each is validated (and defaulted) by the strategy's schema. */
  readonly paramSets: readonly Readonly<Record<string, unknown>>[];
  readonly fill?: Partial<SweepFillConfig>;
  readonly kernels?: readonly FastSignalKernel[];
  /** Keep trade lists and equity arrays (for reports and parity checks). */
  readonly record?: boolean;
  /** Force the generic path even where a kernel exists (parity checks of kernels). */
  readonly generic?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Writes one parameter set's signals for `series` into `out` (kernel when one covers the
 * set, else the generic strategy walk) and returns the strategy's warm-up.
 */
export function signalsFor(definition: StrategyDefinition, params: Readonly<Record<string, unknown>>, series: SeriesData, out: Int8Array, kernels: readonly FastSignalKernel[] = BUILTIN_KERNELS): number {
  const kernel = kernels.find((k) => k.strategyId === definition.id);
  if (kernel?.supports(params)) return kernel.signals(series, params, out);
  return strategySignals(definition.create(params), series, out);
}

/** One parameter set on one symbol. */
export interface SweepRow {
  /** Index of the parameter set in `paramSets`. */
  readonly set: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly symbol: string;
  readonly path: 'kernel' | 'generic';
  readonly outcome: SimulationOutcome;
}

/**
 * Evaluates every parameter set on every symbol (each symbol its own account of
 * `fill.initialCash`) with batch indicators and the typed-array fill simulator. Rows are
 * ordered by set, then by symbol.
 */
export function runSweep(opts: SweepOptions): SweepRow[] {
  const fill = { ...DEFAULT_FILL, ...opts.fill };
  const kernel = opts.generic ? undefined : (opts.kernels ?? BUILTIN_KERNELS).find((k) => k.strategyId === opts.definition.id);
  const parsed = opts.paramSets.map((raw) => parseStrategyParams(opts.definition, raw) as Record<string, unknown>);
  const rows: SweepRow[] = [];
  const total = parsed.length * opts.series.length;
  const buffers = new Map<number, Int8Array>();
  let done = 0;
  for (let k = 0; k < parsed.length; k++) {
    const params = parsed[k] as Record<string, unknown>;
    const useKernel = kernel?.supports(params) === true;
    const strategy = useKernel ? undefined : opts.definition.create(params);
    for (const series of opts.series) {
      let buf = buffers.get(series.length);
      if (!buf) buffers.set(series.length, (buf = new Int8Array(series.length)));
      const warmup = useKernel && kernel ? kernel.signals(series, params, buf) : strategySignals(strategy as NonNullable<typeof strategy>, series, buf);
      const outcome = simulateLong(series.columns, buf, fill, Math.max(0, warmup - 1), opts.record === true);
      rows.push({ set: k, params, symbol: series.symbol, path: useKernel ? 'kernel' : 'generic', outcome });
      done += 1;
      opts.onProgress?.(done, total);
    }
  }
  return rows;
}
