import { IndicatorError } from './indicator-error.js';
import type { Kernel } from './kernel.js';
import type { Bar, BatchableStream, InputName, SeriesInputs } from './types.js';
import { backfill } from './stream-backfill.js';

/**
 * Base of the hand-written streaming forms that the hottest O(1) indicators
 * (SMA, EMA, RSI, ATR, MACD) use instead of the generated
 * `KernelStream`: a few nanoseconds per update matter when a process
 * updates a dozen indicators for each of 500 symbols on every candle.
 *
 * A subclass keeps its state in the kernel's own layout (`st`), so a
 * backfill runs the kernel at batch speed and the per-bar code continues
 * from it, and its per-bar arithmetic repeats the kernel's bar for bar: the
 * contract tests hold every path to bit-for-bit equality with batch. Each
 * subclass writes its own update()/replace() (no shared virtual step), so
 * every call site stays monomorphic however many kinds of stream a process
 * runs.
 */
export abstract class StateStream<P> implements BatchableStream {
  /**
   * The kernel's state (see {@link Kernel}) in slots [0, size), followed by
   * `spare` slots the subclass may use, e.g. for its replace() snapshot:
   * one array keeps the per-update loads and stores to one base pointer.
   */
  protected readonly st: Float64Array;
  /** Bars fed so far. */
  protected bars = 0;

  protected constructor(
    protected readonly name: string,
    private readonly inputs: readonly InputName[],
    private readonly outputNames: readonly string[],
    private readonly kernel: Kernel<P>,
    protected readonly params: P,
    spare = 0,
  ) {
    this.st = new Float64Array(kernel.layout(params).size + spare);
    kernel.init?.(this.st, params);
  }

  get count(): number {
    return this.bars;
  }

  abstract update(bar: Bar): Readonly<Record<string, number>>;
  abstract replace(bar: Bar): Readonly<Record<string, number>>;

  updateBatch(inputs: SeriesInputs): Record<string, Float64Array> {
    this.saveState(this.st);
    return backfill(
      {
        name: this.name,
        inputs: this.inputs,
        outputs: this.outputNames,
        kernel: this.kernel,
        params: this.params,
        state: this.st,
        advance: (bars) => {
          this.bars += bars;
          this.loadState(this.st);
        },
        update: (bar) => this.update(bar),
      },
      inputs,
    );
  }

  /**
   * A subclass that keeps its hot state in fields rather than in `st` writes the
   * fields into the kernel's layout here, before a backfill runs the kernel on `st`.
   */
  protected saveState(_st: Float64Array): void {}

  /** ...and reads them back here, after the kernel ran and before the last bar's update(). */
  protected loadState(_st: Float64Array): void {}

  // Subclasses copy their replace() snapshot slot by slot, written out: a loop here
  // cost RSI, MACD and ATR updates 25-40% in the benchmark.

  // The error builders return rather than throw: with `throw this.x(...)` at
  // the call site the compiler knows the path ends there, which keeps the
  // hot path of update() a few instructions shorter.

  /** The error for a bad bar field (`index` is the bar's position in the stream). */
  protected badField(field: InputName, value: number, index: number): IndicatorError {
    const want = field === 'volume' ? 'a finite number >= 0' : 'a finite price > 0';
    return new IndicatorError('INDICATOR_BAD_INPUT', `${this.name}: bar.${field} is ${value}, expected ${want} (bar #${index})`, field);
  }

  /** The error for a bar whose high is below its low. */
  protected badRange(bar: Bar): IndicatorError {
    return new IndicatorError('INDICATOR_BAD_INPUT', `${this.name}: bar.high (${bar.high}) is below bar.low (${bar.low})`, 'high');
  }

  /** The error for replace() before any update(). */
  protected notStarted(): IndicatorError {
    return new IndicatorError('INDICATOR_BAD_STATE', `${this.name}: replace() called before any update()`);
  }
}
