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
  readonly reason: string;
}
