import type { LoadSeriesOptions } from '../data/load-series';
import type { SweepFillConfig } from '../sweep/fill-model';
import type { SetScore } from './objectives';

/** First message to a sweep worker: what to load and which built-in strategy to run. */
export interface WorkerInit {
  readonly type: 'init';
  readonly strategyId: string;
  readonly load: LoadSeriesOptions;
  readonly fill: Partial<SweepFillConfig>;
}

export interface WorkerRequest {
  readonly type: 'score';
  readonly id: number;
  readonly sets: readonly Readonly<Record<string, unknown>>[];
  readonly window?: { readonly from: number; readonly to: number };
}

export type WorkerReply =
  | { readonly type: 'scores'; readonly id: number; readonly scores: Array<SetScore | null> }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
