/**
 * Worker-thread side of the worker backend: runs the built-in kernel over a
 * chunk of series straight into the shared output buffer (no copies). Built-ins
 * only: a custom indicator's kernel cannot be sent to another thread. The
 * registry is loaded once per worker; the pool keeps workers between calls.
 */
import { parentPort } from 'node:worker_threads';
import { runKernel } from '../core/define-indicator.js';
import { getIndicator } from '../core/registry.js';
import type { ParamRecord } from '../core/types.js';
import type { WorkerChunk, WorkerReply } from './worker-protocol.js';

parentPort?.on('message', (chunk: WorkerChunk) => {
  let reply: WorkerReply;
  try {
    runChunk(chunk);
    reply = { ok: true };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});

function runChunk(chunk: WorkerChunk): void {
  const ind = getIndicator(chunk.indicator);
  const nIn = ind.spec.inputs.length;
  const nOut = ind.spec.outputs.length;
  const input = new Float64Array(chunk.input);
  const output = new Float64Array(chunk.output);
  let inAt = 0;
  let outAt = 0;
  for (const len of chunk.lengths) {
    const inputs = Array.from({ length: nIn }, (_, k) => input.subarray(inAt + k * len, inAt + (k + 1) * len));
    for (const params of chunk.params) {
      const outs = Array.from({ length: nOut }, (_, o) => output.subarray(outAt + o * len, outAt + (o + 1) * len));
      runKernel(ind.kernel, inputs, outs, params as ParamRecord, len);
      outAt += nOut * len;
    }
    inAt += nIn * len;
  }
}
