import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KairosError } from '@kairos/core';
import type { LoadSeriesOptions } from '../data/load-series';
import type { SweepFillConfig } from '../sweep/fill-model';
import type { Evaluator, TimeWindow } from './evaluator';
import type { SetScore } from './objectives';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol';

export interface WorkerEvaluatorOptions {
  /** A built-in strategy id (workers rebuild it from the registry; functions cannot cross threads). */
  readonly strategyId: string;
  readonly load: LoadSeriesOptions;
  readonly fill?: Partial<SweepFillConfig>;
  /** Default: every core. */
  readonly workers?: number;
}

/** File URL of tsx's ESM register API, found through tsx's own package exports. */
function tsxEsmApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const rel = pkg.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/**
 * Spawns the sweep worker: the built JavaScript next to this file, or, when running from
 * TypeScript sources, the `.ts` file through tsx. Node 20 does not apply `--import tsx`
 * from a worker's execArgv to the worker's entry module (ERR_UNKNOWN_FILE_EXTENSION), so
 * a tiny bootstrap registers tsx's loader inside the worker first, then imports the entry.
 */
function spawn(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sweep-worker.js', import.meta.url));
  const entry = new URL('./sweep-worker.ts', import.meta.url).href;
  const tsxApi = tsxEsmApi();
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, execArgv: ['--conditions=source'] });
}

/**
 * Scores parameter sets on worker threads, one per core by default. Each batch is cut
 * into contiguous chunks, one per worker, and joined in order: results do not depend on
 * the number of workers.
 */
export function createWorkerEvaluator(opts: WorkerEvaluatorOptions): Evaluator {
  const n = Math.max(1, opts.workers ?? availableParallelism());
  const init: WorkerInit = { type: 'init', strategyId: opts.strategyId, load: opts.load, fill: opts.fill ?? {} };
  const workers = Array.from({ length: n }, () => {
    const w = spawn();
    w.postMessage(init);
    return w;
  });
  let nextId = 0;
  const ask = (w: Worker, sets: readonly Readonly<Record<string, unknown>>[], window: TimeWindow | undefined): Promise<Array<SetScore | null>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (m: WorkerReply) => {
        if (m.id !== id) return;
        cleanup();
        if (m.type === 'scores') resolve(m.scores);
        else reject(new KairosError('INTERNAL', `sweep worker failed: ${m.message}`));
      };
      const onError = (err: Error) => {
        cleanup();
        reject(new KairosError('INTERNAL', `sweep worker crashed: ${err.message}`, { cause: err }));
      };
      const cleanup = () => {
        w.off('message', onMessage);
        w.off('error', onError);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      const req: WorkerRequest = { type: 'score', id, sets, ...(window ? { window } : {}) };
      w.postMessage(req);
    });
  return {
    async evaluate(sets, window) {
      const per = Math.ceil(sets.length / n);
      const parts = await Promise.all(workers.map((w, i) => (i * per < sets.length ? ask(w, sets.slice(i * per, (i + 1) * per), window) : Promise.resolve([]))));
      return parts.flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
