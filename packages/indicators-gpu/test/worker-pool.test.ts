import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { computeMany, computeManySync, createWorkerBackend, getIndicator, type SeriesInputs } from '../src/index.js';
import { firstMismatch, loadFixture } from './helpers/fixture-candles.js';

const btc = loadFixture('btc').inputs;
const eth = loadFixture('eth').inputs;

/** `count` series cut from the two fixtures at different offsets (so no two are equal). */
function manySeries(count: number, length = 400): SeriesInputs[] {
  return Array.from({ length: count }, (_, s) => {
    const from = s % 2 === 0 ? btc : eth;
    const at = (s * 7) % (500 - length);
    return Object.fromEntries(Object.entries(from).map(([k, v]) => [k, v!.subarray(at, at + length)]));
  });
}

/** Collects every (series, param set) a sink gets, failing on a repeat. */
function collector() {
  const seen = new Map<string, Record<string, Float64Array>>();
  const sink = (s: number, p: number, out: Readonly<Record<string, Float64Array>>) => {
    const key = `${s}/${p}`;
    if (seen.has(key)) throw new Error(`result ${key} delivered twice`);
    seen.set(key, Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.slice()])));
  };
  return { seen, sink };
}

describe('worker pool', () => {
  const pool = createWorkerBackend({ threads: 2 });
  afterAll(() => pool.close());

  it('keeps its threads between calls and gives the same numbers as this thread each time', async () => {
    const series = manySeries(12);
    const sets = [{}, { fast: 5, slow: 35, signal: 5 }];
    const cpu = computeManySync('macd', series, sets);
    expect(pool.started).toBe(false);
    for (let round = 0; round < 2; round++) {
      const res = await computeMany('macd', series, sets, { backend: pool });
      expect(res.backend).toBe('worker:2');
      expect(pool.started).toBe(true);
      for (let s = 0; s < series.length; s++)
        for (let p = 0; p < sets.length; p++)
          for (const k of ['macd', 'signal', 'histogram']) expect(firstMismatch(res.outputs[s]![p]![k]!, cpu.outputs[s]![p]![k]!, 0), `${k} s${s} p${p}`).toBe(-1);
    }
  });

  it('streams through a few reused buffers however many series there are', async () => {
    const series = manySeries(60, 480);
    const sets = Array.from({ length: 40 }, (_, k) => ({ period: 5 + k }));
    const buffers = new Set<ArrayBufferLike>();
    let last: ArrayBufferLike | undefined;
    let switches = 0;
    const { seen, sink } = collector();
    await computeMany('sma', series, sets, {
      backend: pool,
      reuseBuffers: true,
      onResult: (s, p, out) => {
        const buffer = out.value!.buffer;
        if (buffer !== last) switches++;
        last = buffer;
        buffers.add(buffer);
        sink(s, p, out);
      },
    });
    expect(seen.size).toBe(series.length * sets.length);
    // Two threads, two slots each: results are views on at most four buffers,
    // and more chunks than buffers came through them, so they were reused.
    expect(buffers.size).toBeLessThanOrEqual(4);
    expect(switches).toBeGreaterThan(buffers.size);
    const want = getIndicator('sma').batch(series[37]!, { period: 17 }).value!;
    expect(firstMismatch(seen.get('37/12')!.value!, want, 0)).toBe(-1);
  });

  it('takes concurrent runs in turn, each with its own right numbers', async () => {
    const series = manySeries(40, 480);
    const smaSets = Array.from({ length: 30 }, (_, k) => ({ period: 3 + k }));
    const emaSets = Array.from({ length: 30 }, (_, k) => ({ period: 4 + k }));
    const [a, b] = await Promise.all([computeMany('sma', series, smaSets, { backend: pool }), computeMany('ema', series, emaSets, { backend: pool })]);
    const wantA = computeManySync('sma', series, smaSets);
    const wantB = computeManySync('ema', series, emaSets);
    for (let s = 0; s < series.length; s++)
      for (let p = 0; p < 30; p++) {
        expect(firstMismatch(a.outputs[s]![p]!.value!, wantA.outputs[s]![p]!.value!, 0), `sma s${s} p${p}`).toBe(-1);
        expect(firstMismatch(b.outputs[s]![p]!.value!, wantB.outputs[s]![p]!.value!, 0), `ema s${s} p${p}`).toBe(-1);
      }
  });

  it("hands back a sink's own error as it was thrown, and stays usable", async () => {
    const boom = new Error('sink refused');
    await expect(computeMany('ema', manySeries(6), [{}], { backend: pool, onResult: () => { throw boom; } })).rejects.toBe(boom);
    const res = await computeMany('ema', manySeries(6), [{}], { backend: pool });
    expect(res.outputs).toHaveLength(6);
  });

  it('auto moves heavy work to the pool and keeps light work on this thread', async () => {
    // Stochastics over 200 series x 20 param sets: about 150 ms of work here, far above WORKER_MIN_MS.
    const heavy = manySeries(200, 480);
    const stochSets = Array.from({ length: 20 }, (_, k) => ({ period: 5 + k }));
    const { seen, sink } = collector();
    const res = await computeMany('stoch', heavy, stochSets, { workers: pool, onResult: sink });
    expect(res.backend).toBe('worker:2');
    expect(seen.size).toBe(heavy.length * stochSets.length);
    const want = getIndicator('stoch').batch(heavy[0]!, { period: 9 });
    expect(firstMismatch(seen.get('0/4')!.k!, want.k!, 0)).toBe(-1);
    const later = getIndicator('stoch').batch(heavy[187]!, { period: 24 });
    expect(firstMismatch(seen.get('187/19')!.d!, later.d!, 0)).toBe(-1);
    // A few microseconds of EMA: not worth a message to another thread.
    const light = await computeMany('ema', manySeries(3, 50), [{ period: 5 }], { workers: pool });
    expect(light.backend).toBe('cpu');
  }, 60_000);

  it('is refused by computeManySync before it starts (no results after the throw)', async () => {
    let results = 0;
    expect(() => computeManySync('ema', manySeries(4), [{}], { backend: pool, onResult: () => results++ })).toThrow(/asynchronous; use computeMany/);
    // A run started anyway would hand its results to the sink within milliseconds on a warm pool.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(results).toBe(0);
  });

  it('auto starts no threads of its own for short jobs', async () => {
    const res = await computeMany('rsi', manySeries(8), [{}, { period: 7 }]);
    expect(res.backend).toBe('cpu');
  });
});

describe('an idle pool', () => {
  it('does not keep the process alive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kairos-pool-'));
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = join(dir, 'idle-pool.mts');
    writeFileSync(
      script,
      `import { computeMany, createWorkerBackend } from ${JSON.stringify(index)};\n` +
        `const pool = createWorkerBackend({ threads: 2 });\n` +
        `const close = Float64Array.from({ length: 300 }, (_, i) => 100 + Math.sin(i / 9));\n` +
        `const res = await computeMany('sma', [{ close }, { close }, { close }], [{ period: 9 }], { backend: pool });\n` +
        `console.log(res.backend, pool.started);\n`,
    );
    const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.error, 'the process ended by itself, with the pool left open').toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('worker:2 true');
  }, 40_000);
});
