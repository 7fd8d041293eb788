import type { Signal } from '../domain/signal';
import type { MarketView } from './strategy';

/** A model-backed signal source (e.g. the LSTM), voting in the aggregator like a strategy. */
export interface Predictor {
  readonly id: string;
  readonly warmup: number;
  predict(view: MarketView): Promise<Signal | null> | Signal | null;
}
