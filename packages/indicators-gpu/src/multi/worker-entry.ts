import type { ParamRecord } from '../core/types.js';
/**
 * Worker-thread side of the worker backend: rebuilds the job from shared
 * memory, runs the built-in kernel for its slice of series and writes the
 * outputs straight into the shared output buffer. Built-ins only: a custom
 * indicator's kernel cannot be sent to another thread.
 */
import { parentPort } from 'node:worker_threads';
import { getIndicator } from '../core/registry.js';
import { runCpuRange } from './cpu-backend.js';
import type { WorkerTask } from './worker-protocol.js';

parentPort?.on('message', (task: WorkerTask) => {
  try {
    const ind = getIndicator(task.indicator);
    const nIn = ind.spec.inputs.length;
    const nOut = ind.spec.outputs.length;
    const input = new Float64Array(task.input);
    const output = new Float64Array(task.output);
    const series = task.offsets.map((off, s) => {
      const len = task.lengths[s]!;
      return Array.from({ length: nIn }, (_, k) => input.subarray(off + k * len, off + (k + 1) * len));
    });
    const P = task.params.length;
    // Params were parsed by the main thread before being posted; the clone keeps them.
    runCpuRange({ indicator: ind, series, params: task.params as readonly ParamRecord[] }, task.from, task.to, (s, p, outs) => {
      const len = task.lengths[s]!;
      const base = task.outOffsets[s]! + p * nOut * len;
      ind.spec.outputs.forEach((name, o) => output.set(outs[name]!, base + o * len));
      void P;
    }, true);
    parentPort?.postMessage({ ok: true });
  } catch (e) {
    parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
