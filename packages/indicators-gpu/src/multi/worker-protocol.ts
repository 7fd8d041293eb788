/** Message from the worker backend to a worker: one slice [from, to) of the series. */
export interface WorkerTask {
  readonly indicator: string;
  readonly params: readonly unknown[];
  /** Shared inputs: series s starts at offsets[s]; its inputs follow one another, each lengths[s] long. */
  readonly input: SharedArrayBuffer;
  readonly offsets: readonly number[];
  readonly lengths: readonly number[];
  /** Shared outputs: series s starts at outOffsets[s], laid out [paramSet][output][bar]. */
  readonly output: SharedArrayBuffer;
  readonly outOffsets: readonly number[];
  readonly from: number;
  readonly to: number;
}
