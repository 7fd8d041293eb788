import type { Signal } from '../domain/signal';
import type { SeriesSignals } from '../ports/strategy';

/**
 * Collects a `decideSeries` result: add each bar's signal (or null) in bar order, then
 * return the list itself.
 */
export class SeriesSignalList implements SeriesSignals {
  readonly bars: number[] = [];
  readonly signals: Signal[] = [];

  /** Records bar `bar`'s signal; null (no signal) is skipped. Bars must come in increasing order. */
  add(bar: number, signal: Signal | null): void {
    if (signal === null) return;
    this.bars.push(bar);
    this.signals.push(signal);
  }
}
