/** What a signal source wants for a symbol. Spot only: 'sell' means reduce or exit. */
export type SignalDirection = 'buy' | 'sell' | 'hold';

/** The output of a strategy or predictor for one symbol at one time. */
export interface Signal {
  readonly symbol: string;
  /** Close time of the candle the decision was made on. */
  readonly time: number;
  readonly direction: SignalDirection;
  /** Conviction in [-1, 1]; positive for buy, negative for sell. */
  readonly strength: number;
  /** How much the source trusts itself, in [0, 1]. */
  readonly confidence: number;
  readonly source: string;
  /**
   * Why, for people. Built-in strategies write it lazily (see {@link DescribedSignal}):
   * copy a signal field by field or through JSON, not with an object spread.
   */
  readonly reason: string;
}

/**
 * A signal whose `reason` is written the first time it is read, then kept. Most signals
 * are never acted on (already in a position, outvoted, refused), and formatting prices
 * into text costs more than deciding. `reason` is an accessor of the class, so copies
 * by spread or equality checks on own properties do not see it; `toJSON` includes it.
 * `describe` must only use values fixed at the decision (never a live view).
 */
export class DescribedSignal<P = undefined> implements Signal {
  #describe: ((payload: P) => string) | undefined;
  #payload: P | undefined;
  #reason: string | undefined;

  /**
   * @param describe writes the reason; a function of `payload` (the values it needs,
   *   fixed at the decision) or a closure over them
   * @param payload what `describe` is given: with a module-level `describe`, a signal
   *   costs one allocation for its payload instead of two for a closure and its context
   */
  constructor(
    readonly symbol: string,
    readonly time: number,
    readonly direction: SignalDirection,
    readonly strength: number,
    readonly confidence: number,
    readonly source: string,
    describe: (payload: P) => string,
    payload?: P,
  ) {
    this.#describe = describe;
    this.#payload = payload;
  }

  get reason(): string {
    if (this.#reason === undefined) {
      this.#reason = (this.#describe as (payload: P) => string)(this.#payload as P);
      this.#describe = undefined;
      this.#payload = undefined;
    }
    return this.#reason;
  }

  toJSON(): Signal {
    return { symbol: this.symbol, time: this.time, direction: this.direction, strength: this.strength, confidence: this.confidence, source: this.source, reason: this.reason };
  }
}
