import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KernelIndicator } from '../core/define-indicator.js';
import { IndicatorError } from '../core/indicator-error.js';
import { builtInRegistry } from '../core/registry.js';
import type { MultiSeriesBackend, PreparedJob, ResultSink } from './backend.js';
import type { WorkerTask } from './worker-protocol.js';

/** Whether this module runs from TypeScript source (tests, tsx) rather than the built dist. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * Splits the series of a job over worker threads sharing one input and one
 * output SharedArrayBuffer; results are views on that buffer (no copies
 * back). Built-in indicators only.
 * Start-up costs tens of ms (more from TS source, which loads tsx), so
 * `computeMany`'s auto choice uses it only above WORKER_MIN_CELLS and with
 * at least 2 cores.
 */
export function createWorkerBackend(options: { threads?: number } = {}): MultiSeriesBackend {
  const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), 8));
  return {
    name: `worker:${threads}`,
    precision: 64,
    supports: (ind: KernelIndicator) => builtInRegistry.has(ind.spec.name) && builtInRegistry.get(ind.spec.name) === ind,
    async run(job: PreparedJob, sink: ResultSink): Promise<void> {
      const ind = job.indicator;
      const nOut = ind.spec.outputs.length;
      const P = job.params.length;
      const lengths = job.series.map((s) => s[0]?.length ?? 0);
      const offsets: number[] = [];
      const outOffsets: number[] = [];
      let inSize = 0;
      let outSize = 0;
      for (const [s, inputs] of job.series.entries()) {
        offsets.push(inSize);
        outOffsets.push(outSize);
        inSize += inputs.length * lengths[s]!;
        outSize += P * nOut * lengths[s]!;
      }
      const input = new SharedArrayBuffer(inSize * 8);
      const output = new SharedArrayBuffer(outSize * 8);
      const inView = new Float64Array(input);
      job.series.forEach((inputs, s) => inputs.forEach((a, k) => inView.set(a, offsets[s]! + k * lengths[s]!)));
      const S = job.series.length;
      const per = Math.ceil(S / threads);
      const slices: Promise<void>[] = [];
      for (let from = 0; from < S; from += per) {
        const task: WorkerTask = {
          indicator: ind.spec.name,
          params: job.params,
          input,
          offsets,
          lengths,
          output,
          outOffsets,
          from,
          to: Math.min(S, from + per),
        };
        slices.push(runWorker(task));
      }
      await Promise.all(slices);
      const outView = new Float64Array(output);
      for (let s = 0; s < S; s++) {
        const len = lengths[s]!;
        for (let p = 0; p < P; p++) {
          const rec: Record<string, Float64Array> = {};
          const base = outOffsets[s]! + p * nOut * len;
          // Views on the shared buffer: no copy (they keep the buffer alive together).
          ind.spec.outputs.forEach((name, o) => (rec[name] = outView.subarray(base + o * len, base + (o + 1) * len)));
          sink(s, p, rec);
        }
      }
    },
  };
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

function runWorker(task: WorkerTask): Promise<void> {
  const worker = spawn();
  return new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; message?: string }) => {
      void worker.terminate();
      if (m.ok) resolve();
      else reject(new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', `worker failed: ${m.message}`, 'worker'));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      reject(new IndicatorError('INDICATOR_BACKEND_UNAVAILABLE', `worker failed: ${e.message}`, 'worker'));
    });
    worker.postMessage(task);
  });
}
