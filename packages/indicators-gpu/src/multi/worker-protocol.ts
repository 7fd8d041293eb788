/**
 * Message from the worker backend to a worker: a chunk of series to run one
 * built-in indicator over, every param set. Inputs and outputs are shared
 * buffers the worker keeps between chunks; the main thread refills the inputs
 * and reads the outputs between two chunks of the same worker.
 */
export interface WorkerChunk {
  readonly indicator: string;
  /** Parsed by the main thread; the structured clone keeps them as they are. */
  readonly params: readonly unknown[];
  /** Bars of each series of the chunk, in order. */
  readonly lengths: readonly number[];
  /** Series after series, each its inputs one after another (spec order), each `lengths[s]` long. */
  readonly input: SharedArrayBuffer;
  /** Series after series, each laid out [paramSet][output][bar]. */
  readonly output: SharedArrayBuffer;
}

/** A worker's answer to one chunk. */
export type WorkerReply = { readonly ok: true } | { readonly ok: false; readonly message: string };
