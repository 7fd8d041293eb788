import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { IndicatorError } from '../core/indicator-error.js';
import type { PreparedJob } from './backend.js';
import type { WorkerChunk, WorkerReply } from './worker-protocol.js';

/** Whether this module runs from TypeScript source (tests, tsx) rather than the built dist. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Chunks a thread holds at once: it computes one while the main thread hands out the other's results. */
export const WORKER_SLOTS = 2;

interface Pending {
  resolve: () => void;
  reject: (e: IndicatorError) => void;
}

/**
 * One thread of the worker backend's pool. It has {@link WORKER_SLOTS} pairs
 * of shared input and output buffers, reused from chunk to chunk (grown when
 * a chunk needs more): the main thread fills one slot's inputs and reads the
 * other slot's outputs while the thread computes, so the thread does not sit
 * idle for a message's round trip between chunks.
 */
export class IndicatorWorker {
  #worker: Worker;
  readonly #inputs = Array.from({ length: WORKER_SLOTS }, () => new SharedArrayBuffer(0));
  readonly #outputs = Array.from({ length: WORKER_SLOTS }, () => new SharedArrayBuffer(0));
  // The thread answers chunks in the order they were posted.
  readonly #pending: Pending[] = [];
  #alive = true;

  constructor() {
    this.#worker = spawn();
    // Idle threads must not keep the process alive; `hold` refs them while a run waits on them.
    this.#worker.unref();
    this.#worker.on('message', (m: WorkerReply) => {
      const pending = this.#pending.shift();
      if (m.ok) pending?.resolve();
      else pending?.reject(new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', `worker failed: ${m.message}`, 'worker'));
    });
    this.#worker.on('error', (e) => this.#die(`worker failed: ${e.message}`));
    this.#worker.on('exit', (code) => this.#die(`worker exited with code ${code}`));
  }

  /** False once the thread has failed or ended: the pool then starts another. */
  get alive(): boolean {
    return this.#alive;
  }

  /** The outputs of the last chunk run in `slot`: series after series, each [paramSet][output][bar]. */
  output(slot: number): Float64Array {
    return new Float64Array(this.#outputs[slot]!);
  }

  hold(): void {
    if (this.#alive) this.#worker.ref();
  }

  release(): void {
    if (this.#alive) this.#worker.unref();
  }

  /**
   * Runs series [from, to) of the job on this thread in `slot`; resolves when
   * its outputs are in `output(slot)`. A slot takes one chunk at a time.
   */
  run(job: PreparedJob, from: number, to: number, slot: number): Promise<void> {
    if (!this.#alive) return Promise.reject(new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', 'worker has ended', 'worker'));
    const ind = job.indicator;
    const lengths: number[] = [];
    let inCells = 0;
    for (let s = from; s < to; s++) {
      const len = job.series[s]![0]?.length ?? 0;
      lengths.push(len);
      inCells += len * ind.spec.inputs.length;
    }
    const outCells = lengths.reduce((a, n) => a + n, 0) * job.params.length * ind.spec.outputs.length;
    if (this.#inputs[slot]!.byteLength < inCells * 8) this.#inputs[slot] = new SharedArrayBuffer(inCells * 8);
    if (this.#outputs[slot]!.byteLength < outCells * 8) this.#outputs[slot] = new SharedArrayBuffer(outCells * 8);
    const input = new Float64Array(this.#inputs[slot]!);
    let at = 0;
    for (let s = from; s < to; s++) {
      for (const values of job.series[s]!) {
        input.set(values, at);
        at += values.length;
      }
    }
    const chunk: WorkerChunk = { indicator: ind.spec.name, params: job.params, lengths, input: this.#inputs[slot]!, output: this.#outputs[slot]! };
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#worker.postMessage(chunk);
    });
  }

  async terminate(): Promise<void> {
    this.#alive = false;
    await this.#worker.terminate();
  }

  #die(message: string): void {
    this.#alive = false;
    for (const pending of this.#pending.splice(0)) pending.reject(new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', message, 'worker'));
  }
}

/** From TS source the worker registers tsx's loader first (workers ignore --import in execArgv). */
function spawn(): Worker {
  if (!FROM_SOURCE) return new Worker(new URL('./worker-entry.js', import.meta.url));
  // require.resolve finds the CJS build; the worker needs the ESM one beside it.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./worker-entry.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, {
    eval: true,
  });
}
