/**
 * Worker thread of {@link createWorkerEvaluator}: loads the series once, then scores
 * batches of parameter sets with the fast sweep path.
 */
import { parentPort } from 'node:worker_threads';
import { builtinStrategies } from '@kairos/core';
import { loadSeries } from '../data/load-series';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol';
import type { SeriesData } from '../sweep/series-data';
import { scoreSets, windowed } from './evaluator';

const port = parentPort;
if (port) {
  let ready: Promise<Parameters<typeof scoreSets>[0]> | undefined;
  const memo = new Map<string, SeriesData[]>();
  port.on('message', (msg: WorkerInit | WorkerRequest) => {
    if (msg.type === 'init') {
      ready = loadSeries(msg.load).then((series) => ({ definition: builtinStrategies().get(msg.strategyId), series, fill: msg.fill }));
      return;
    }
    void (async () => {
      try {
        const ctx = await (ready as NonNullable<typeof ready>);
        const reply: WorkerReply = { type: 'scores', id: msg.id, scores: scoreSets({ ...ctx, series: windowed(ctx.series, msg.window, memo) }, msg.sets) };
        port.postMessage(reply);
      } catch (err) {
        const reply: WorkerReply = { type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) };
        port.postMessage(reply);
      }
    })();
  });
}
