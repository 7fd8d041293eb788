import type { Signal } from '../domain/signal';
import type { Logger } from '../ports/logger';
import type { MarketView, SeriesSignals, SeriesView, Strategy } from '../ports/strategy';
import { ReplayView } from './replay-view';

/**
 * Runs user strategy code so that it cannot crash the loop: a throw or a malformed
 * signal is logged and counted, and treated as "no signal".
 */
export class SafeStrategy {
  private failures = 0;

  constructor(
    readonly strategy: Strategy,
    private readonly logger: Logger,
    private readonly onFailure?: (symbol: string, error: string, count: number) => void,
  ) {}

  get errorCount(): number {
    return this.failures;
  }

  decide(view: MarketView): Signal | null {
    let signal: Signal | null;
    try {
      signal = this.strategy.decide(view);
    } catch (err) {
      return this.fail(view.symbol, err instanceof Error ? err.message : String(err));
    }
    if (signal === null || signal === undefined) return null;
    const problem = validateSignal(signal, view.symbol);
    if (problem) return this.fail(view.symbol, `invalid signal: ${problem}`);
    return signal;
  }

  /**
   * The signals of bars `from …` of a complete series (see `Strategy.decideSeries`), with
   * the same containment per bar as {@link decide}: a malformed signal is logged, counted
   * and dropped. A strategy without the batch form, or whose batch form throws or breaks
   * the bar order, is replayed through `decide` bar by bar, so a failure costs only the
   * bars it happens on.
   */
  decideSeries(series: SeriesView, from: number): SeriesSignals {
    const start = Math.max(from, 0);
    const batch = this.strategy.decideSeries;
    if (batch) {
      let out: SeriesSignals | undefined;
      try {
        out = batch.call(this.strategy, series, start);
      } catch (err) {
        this.logger.warn({ strategy: this.strategy.id, symbol: series.symbol, error: err instanceof Error ? err.message : String(err) }, 'batch decide failed; replaying bar by bar');
      }
      if (out && !inBarOrder(out, start, series.length)) {
        this.logger.warn({ strategy: this.strategy.id, symbol: series.symbol }, 'batch decide broke the bar order; replaying bar by bar');
        out = undefined;
      }
      if (out) return this.checked(out, series.symbol);
    }
    const bars: number[] = [];
    const signals: Signal[] = [];
    const view = new ReplayView(series);
    for (let i = start; i < series.length; i++) {
      const s = this.decide(view.moveTo(i));
      if (!s) continue;
      bars.push(i);
      signals.push(s);
    }
    return { bars, signals };
  }

  /** `out` without its malformed signals, each logged and counted as `decide` does. */
  private checked(out: SeriesSignals, symbol: string): SeriesSignals {
    // Copied only from the first malformed signal on: nearly always `out` is returned as is.
    let kept: { bars: number[]; signals: Signal[] } | undefined;
    for (let k = 0; k < out.signals.length; k++) {
      const s = out.signals[k] as Signal;
      const problem = validateSignal(s, symbol);
      if (problem) {
        kept ??= { bars: out.bars.slice(0, k), signals: out.signals.slice(0, k) };
        this.fail(symbol, `invalid signal: ${problem}`);
      } else if (kept) {
        kept.bars.push(out.bars[k] as number);
        kept.signals.push(s);
      }
    }
    return kept ?? out;
  }

  private fail(symbol: string, error: string): null {
    this.failures += 1;
    this.logger.warn({ strategy: this.strategy.id, symbol, error, count: this.failures }, 'strategy failed');
    this.onFailure?.(symbol, error, this.failures);
    return null;
  }
}

/** Whether `out` lists bars in `[from, length)`, strictly increasing, one signal each. */
function inBarOrder(out: SeriesSignals, from: number, length: number): boolean {
  const { bars, signals } = out;
  if (!Array.isArray(bars) || !Array.isArray(signals) || bars.length !== signals.length) return false;
  let prev = from - 1;
  for (let k = 0; k < bars.length; k++) {
    const b = bars[k] as number;
    if (!(Number.isInteger(b) && b > prev && b < length) || signals[k] === null || signals[k] === undefined) return false;
    prev = b;
  }
  return true;
}

function validateSignal(s: Signal, symbol: string): string | undefined {
  if (typeof s !== 'object') return 'not an object';
  if (s.symbol !== symbol) return `symbol '${String(s.symbol)}' is not the view's '${symbol}'`;
  if (s.direction !== 'buy' && s.direction !== 'sell' && s.direction !== 'hold') return `direction '${String(s.direction)}'`;
  if (!Number.isFinite(s.strength) || s.strength < -1 || s.strength > 1) return `strength ${String(s.strength)} not in [-1, 1]`;
  if (!Number.isFinite(s.confidence) || s.confidence < 0 || s.confidence > 1) return `confidence ${String(s.confidence)} not in [0, 1]`;
  return undefined;
}
