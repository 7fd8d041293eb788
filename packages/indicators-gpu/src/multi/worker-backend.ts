import { availableParallelism } from 'node:os';
import type { KernelIndicator } from '../core/define-indicator.js';
import { builtInRegistry } from '../core/registry.js';
import type { BackendRunOptions, MultiSeriesBackend, PreparedJob, ResultSink } from './backend.js';
import { IndicatorWorker, WORKER_SLOTS } from './indicator-worker.js';

/** Output cells (bars x param sets x outputs) a worker computes per chunk: 16 MiB of float64. */
export const WORKER_CHUNK_CELLS = 500_000;

/** The worker backend: a pool of threads kept between calls; `close` ends them. */
export interface WorkerBackend extends MultiSeriesBackend {
  /** Threads in the pool. */
  readonly threads: number;
  /** Whether the pool's threads are started (the first run starts them). */
  readonly started: boolean;
  /** Ends the pool's threads; a later run starts new ones. */
  close(): Promise<void>;
}

/**
 * Runs built-in indicators on a pool of worker threads. The series are cut
 * into chunks of about {@link WORKER_CHUNK_CELLS} output cells, handed to
 * whichever thread is free, and each chunk's results go to the sink as soon
 * as it is done: memory stays at a few chunks per thread whatever the job's
 * size, and with `reuseBuffers` the sink sees views on a thread's buffer
 * (overwritten by that thread's next chunk), without copies.
 *
 * A thread takes about 100 ms to start (it loads the indicator registry),
 * so keep one backend for many calls and `close` it at the end; idle
 * threads do not keep the process alive. Results reach the sink in chunk
 * completion order, each with its series and param-set index.
 */
export function createWorkerBackend(options: { threads?: number } = {}): WorkerBackend {
  const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), 8));
  let pool: IndicatorWorker[] = [];
  // Runs take turns: a pool's buffers serve one run at a time.
  let turn: Promise<void> = Promise.resolve();
  /** One run on the pool; `run` makes runs take turns. */
  const runNow = async (job: PreparedJob, sink: ResultSink, runOptions?: BackendRunOptions): Promise<void> => {
    pool = pool.filter((w) => w.alive);
    while (pool.length < threads) pool.push(new IndicatorWorker());
    const chunks = chunkSeries(job, threads);
    const reuse = runOptions?.reuseBuffers ?? false;
    let next = 0;
    let failure: unknown;
    const start = (worker: IndicatorWorker, slot: number): Promise<[number, number, number]> | undefined => {
      if (failure !== undefined || next >= chunks.length) return undefined;
      const [from, to] = chunks[next++]!;
      return worker.run(job, from, to, slot).then(() => [from, to, slot]);
    };
    const drain = async (worker: IndicatorWorker): Promise<void> => {
      const inFlight: Promise<[number, number, number]>[] = [];
      for (let slot = 0; slot < WORKER_SLOTS; slot++) {
        const started = start(worker, slot);
        if (started) inFlight.push(started);
      }
      try {
        for (let done = inFlight.shift(); done; done = inFlight.shift()) {
          const [from, to, slot] = await done;
          deliver(job, worker.output(slot), from, to, sink, reuse);
          const started = start(worker, slot);
          if (started) inFlight.push(started);
        }
      } catch (e) {
        failure ??= e;
        // Let the chunks still in flight settle before the run returns.
        await Promise.allSettled(inFlight);
      }
    };
    for (const w of pool) w.hold();
    try {
      await Promise.all(pool.map(drain));
    } finally {
      for (const w of pool) w.release();
    }
    // A worker's failure is already an IndicatorError; a sink's own error goes back as it was thrown.
    if (failure !== undefined) throw failure;
  };
  return {
    name: `worker:${threads}`,
    precision: 64,
    asynchronous: true,
    threads,
    get started() {
      return pool.length > 0;
    },
    supports: (ind: KernelIndicator) => builtInRegistry.has(ind.spec.name) && builtInRegistry.get(ind.spec.name) === ind,
    async run(job: PreparedJob, sink: ResultSink, runOptions?: BackendRunOptions): Promise<void> {
      const before = turn;
      let done!: () => void;
      turn = new Promise<void>((resolve) => (done = resolve));
      try {
        await before;
        await runNow(job, sink, runOptions);
      } finally {
        done();
      }
    },
    async close(): Promise<void> {
      const ending = pool;
      pool = [];
      await Promise.all(ending.map((w) => w.terminate()));
    },
  };
}

/** Series ranges [from, to) of about WORKER_CHUNK_CELLS output cells, at least four per thread when there is enough work. */
function chunkSeries(job: PreparedJob, threads: number): [number, number][] {
  const S = job.series.length;
  const perSeries = (s: number) => Math.max(1, (job.series[s]![0]?.length ?? 0) * job.params.length * job.indicator.spec.outputs.length);
  let total = 0;
  for (let s = 0; s < S; s++) total += perSeries(s);
  const target = Math.max(1, Math.min(WORKER_CHUNK_CELLS, Math.ceil(total / (threads * 4))));
  const chunks: [number, number][] = [];
  let from = 0;
  let cells = 0;
  for (let s = 0; s < S; s++) {
    cells += perSeries(s);
    if (cells >= target || s === S - 1) {
      chunks.push([from, s + 1]);
      from = s + 1;
      cells = 0;
    }
  }
  return chunks;
}

/** Hands the sink each (series, param set) of a finished chunk: views on the worker's buffer, or copies. */
function deliver(job: PreparedJob, output: Float64Array, from: number, to: number, sink: ResultSink, reuse: boolean): void {
  const names = job.indicator.spec.outputs;
  let at = 0;
  for (let s = from; s < to; s++) {
    const len = job.series[s]![0]?.length ?? 0;
    for (let p = 0; p < job.params.length; p++) {
      const rec: Record<string, Float64Array> = {};
      for (let o = 0; o < names.length; o++) {
        const view = output.subarray(at, at + len);
        rec[names[o]!] = reuse ? view : view.slice();
        at += len;
      }
      sink(s, p, rec);
    }
  }
}
