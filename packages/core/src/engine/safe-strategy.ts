import type { Signal } from '../domain/signal';
import type { Logger } from '../ports/logger';
import type { MarketView, SeriesView, Strategy } from '../ports/strategy';
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
   * and dropped. A strategy without the batch form, or whose batch form throws or returns
   * the wrong length, is replayed through `decide` bar by bar, so a failure costs only the
   * bars it happens on.
   */
  decideSeries(series: SeriesView, from: number): (Signal | null)[] {
    const batch = this.strategy.decideSeries;
    if (batch) {
      let out: (Signal | null)[] | undefined;
      try {
        out = batch.call(this.strategy, series, from);
      } catch (err) {
        this.logger.warn({ strategy: this.strategy.id, symbol: series.symbol, error: err instanceof Error ? err.message : String(err) }, 'batch decide failed; replaying bar by bar');
      }
      if (out && out.length === series.length) {
        for (let i = from; i < out.length; i++) {
          const s = out[i];
          if (s === null || s === undefined) {
            out[i] = null;
            continue;
          }
          const problem = validateSignal(s, series.symbol);
          if (problem) out[i] = this.fail(series.symbol, `invalid signal: ${problem}`);
        }
        return out;
      }
    }
    const out = new Array<Signal | null>(series.length).fill(null);
    const view = new ReplayView(series);
    for (let i = Math.max(from, 0); i < series.length; i++) out[i] = this.decide(view.moveTo(i));
    return out;
  }

  private fail(symbol: string, error: string): null {
    this.failures += 1;
    this.logger.warn({ strategy: this.strategy.id, symbol, error, count: this.failures }, 'strategy failed');
    this.onFailure?.(symbol, error, this.failures);
    return null;
  }
}

function validateSignal(s: Signal, symbol: string): string | undefined {
  if (typeof s !== 'object') return 'not an object';
  if (s.symbol !== symbol) return `symbol '${String(s.symbol)}' is not the view's '${symbol}'`;
  if (s.direction !== 'buy' && s.direction !== 'sell' && s.direction !== 'hold') return `direction '${String(s.direction)}'`;
  if (!Number.isFinite(s.strength) || s.strength < -1 || s.strength > 1) return `strength ${String(s.strength)} not in [-1, 1]`;
  if (!Number.isFinite(s.confidence) || s.confidence < 0 || s.confidence > 1) return `confidence ${String(s.confidence)} not in [0, 1]`;
  return undefined;
}
