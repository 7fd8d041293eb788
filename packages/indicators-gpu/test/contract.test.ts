import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_INS, computeMany, computeManySync, createGpuJsBackend, createWorkerBackend, IndicatorError, type KernelIndicator, type SeriesInputs } from '../src/index.js';
import { barAt, firstMismatch, loadFixture, sliceInputs } from './helpers/fixture-candles.js';

/**
 * The one contract every registered indicator must meet (Tulip-style smoke
 * test): batch = streaming (bar by bar, with replace, and in uneven chunks)
 * = multi-series (this thread, worker threads, gpu.js' cpu mode), exact warm-up prefix, and typed errors on bad input.
 */
const fx = loadFixture();
const eth = loadFixture('eth');
const CHUNKS = [1, 2, 3, 7, 13, 100, Infinity];
/** gpu.js in its cpu mode runs the GPU kernel source in JS, in float32. */
const gpujsCpu = createGpuJsBackend({ mode: 'cpu' });
/** One pool of worker threads for every indicator's worker check, as an application would keep one. */
const workers = createWorkerBackend({ threads: 2 });
afterAll(() => workers.close());

function inputsFor(ind: KernelIndicator, from: SeriesInputs = fx.inputs): SeriesInputs {
  const out: SeriesInputs = {};
  for (const name of ind.spec.inputs) out[name] = from[name];
  return out;
}

/** Defaults plus, where valid, every integer param + 1 (a second param set for the multi-series check). */
function paramSets(ind: KernelIndicator): Record<string, unknown>[] {
  const base = ind.parseParams();
  const variant = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, typeof v === 'number' && Number.isInteger(v) ? v + 1 : v]));
  try {
    ind.parseParams(variant as never);
    return [{}, variant];
  } catch {
    return [{}];
  }
}

function expectIndicatorError(fn: () => unknown, code: string, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e, 'typed error').toBeInstanceOf(IndicatorError);
    expect((e as IndicatorError).code).toBe(code);
    expect((e as IndicatorError).field, (e as Error).message).toBe(field);
    expect((e as Error).message).toContain(field);
    return;
  }
  throw new Error(`expected ${code} naming '${field}'`);
}

describe.each(BUILT_INS.map((ind) => [ind.spec.name, ind] as const))('indicator contract: %s', (_name, ind) => {
  const inputs = inputsFor(ind);
  const params = ind.parseParams();
  const batch = ind.batch(inputs);
  const warmup = ind.spec.warmup(params);

  it('batch: one output per bar, NaN exactly before warm-up, finite after', () => {
    for (const name of ind.spec.outputs) {
      const o = batch[name]!;
      expect(o.length).toBe(fx.length);
      for (let i = 0; i < o.length; i++) {
        if (i < warmup) expect(o[i], `${name}[${i}] is warm-up`).toBeNaN();
        else expect(Number.isFinite(o[i]), `${name}[${i}] after warm-up ${warmup} is ${o[i]}`).toBe(true);
      }
    }
  });

  it('batchInto writes the same values into caller buffers', () => {
    const out = Object.fromEntries(ind.spec.outputs.map((k) => [k, new Float64Array(fx.length)]));
    ind.batchInto(inputs, params, out);
    for (const k of ind.spec.outputs) expect(firstMismatch(out[k]!, batch[k]!, 0), k).toBe(-1);
  });

  it('streaming update() bar by bar, with a forming bar replace()d, equals batch bit for bit', () => {
    const s = ind.stream();
    const got = Object.fromEntries(ind.spec.outputs.map((k) => [k, new Float64Array(fx.length)]));
    for (let i = 0; i < fx.length; i++) {
      const bar = barAt(inputs, i);
      // Feed a distorted still-forming version first, then the final one via replace().
      // Stays a valid candle: low*0.99 <= close*1.005 <= high*1.01.
      const forming = { ...bar, high: bar.high * 1.01, low: bar.low * 0.99, close: bar.close * 1.005, volume: bar.volume / 2 };
      if (forming.benchmark !== undefined) forming.benchmark *= 0.99;
      s.update(forming);
      const r = s.replace(bar);
      for (const k of ind.spec.outputs) got[k]![i] = r[k]!;
    }
    expect(s.count).toBe(fx.length);
    for (const k of ind.spec.outputs) expect(firstMismatch(got[k]!, batch[k]!, 0), k).toBe(-1);
  });

  it('streaming updateBatch() in uneven chunks (1,2,3,7,13,100,all) equals batch bit for bit', () => {
    // Every rotation of the chunk sizes, so chunk ends fall on different bars
    // relative to the warm-up and to any blocking inside the kernel.
    for (let rot = 0; rot < CHUNKS.length; rot++) {
      const s = ind.stream();
      const got = Object.fromEntries(ind.spec.outputs.map((k) => [k, new Float64Array(fx.length)]));
      let at = 0;
      for (let c = rot; at < fx.length; c++) {
        const size = Math.min(CHUNKS[c % CHUNKS.length]!, fx.length - at);
        const part = s.updateBatch(sliceInputs(inputs, at, at + size));
        for (const k of ind.spec.outputs) got[k]!.set(part[k]!, at);
        at += size;
      }
      for (const k of ind.spec.outputs) expect(firstMismatch(got[k]!, batch[k]!, 0), `${k} (rotation ${rot})`).toBe(-1);
    }
  });

  it('multi-series on the cpu backend (2 symbols x param sets) equals batch', () => {
    const sets = paramSets(ind);
    const series = [inputs, inputsFor(ind, eth.inputs)];
    const res = computeManySync(ind, series, sets as never, { backend: 'cpu' });
    expect(res.backend).toBe('cpu');
    series.forEach((s, si) =>
      sets.forEach((p, pi) => {
        const want = ind.batch(s, p as never);
        for (const k of ind.spec.outputs) expect(firstMismatch(res.outputs[si]![pi]![k]!, want[k]!, 1e-9), `${k} s${si} p${pi}`).toBe(-1);
      }),
    );
  });

  it('multi-series on worker threads (2 symbols x param sets) equals batch', async () => {
    const sets = paramSets(ind);
    const series = [inputs, inputsFor(ind, eth.inputs)];
    const res = await computeMany(ind, series, sets as never, { backend: workers });
    expect(res.backend).toBe('worker:2');
    series.forEach((s, si) =>
      sets.forEach((p, pi) => {
        const want = ind.batch(s, p as never);
        for (const k of ind.spec.outputs) expect(firstMismatch(res.outputs[si]![pi]![k]!, want[k]!, 1e-9), `${k} s${si} p${pi}`).toBe(-1);
      }),
    );
  });

  // Only indicators with a gpu.js form run there (the backend reports the others as unsupported).
  if (ind.gpu !== undefined) {
    it('multi-series on gpu.js (cpu mode, float32) equals batch to 1e-5', () => {
      const sets = paramSets(ind);
      const series = [inputs, inputsFor(ind, eth.inputs)];
      const res = computeManySync(ind, series, sets as never, { backend: gpujsCpu });
      expect(res.backend, 'reports the gpu.js kernel that ran').toMatch(/^gpujs:cpu:/);
      series.forEach((s, si) =>
        sets.forEach((p, pi) => {
          const want = ind.batch(s, p as never);
          for (const k of ind.spec.outputs) expect(firstMismatch(res.outputs[si]![pi]![k]!, want[k]!, 1e-5), `${k} s${si} p${pi}`).toBe(-1);
        }),
      );
    });
  }

  it('rejects NaN / Infinity / non-positive values naming the input', () => {
    for (const name of ind.spec.inputs) {
      for (const bad of [NaN, Infinity, -1]) {
        const copy = Float64Array.from(inputs[name]!);
        copy[7] = bad;
        expectIndicatorError(() => ind.batch({ ...inputs, [name]: copy }), 'INDICATOR_BAD_INPUT', name);
        expectIndicatorError(() => ind.stream().update({ ...barAt(inputs, 0), [name]: bad }), 'INDICATOR_BAD_INPUT', name);
      }
    }
  });

  // Kernels that screen their own inputs inside the loop (no separate pass)
  // must still catch every bad value wherever it sits: in the seed, at each
  // position of an unrolled loop trip (up to 16 bars after the warm-up), and
  // on the very last bar.
  it('rejects a bad value at any position, in batch and batchInto', () => {
    const n = inputs[ind.spec.inputs[0]!]!.length;
    const warm = ind.spec.warmup(params);
    const afterWarm = Array.from({ length: 20 }, (_, d) => warm + d);
    const positions = [...new Set([0, 1, 2, 3, ...afterWarm, n - 4, n - 3, n - 2, n - 1])].filter((i) => i >= 0 && i < n);
    // [series length, bad position]: every position on the full series, and
    // the last bar of series 1..3 bars shorter (a block left unfinished).
    const cases = [...positions.map((at) => [n, at] as const), ...[1, 2, 3].map((d) => [n - d, n - d - 1] as const)];
    for (const [len, at] of cases) {
      const cut = Object.fromEntries(Object.entries(inputs).map(([k, a]) => [k, a!.slice(0, len)]));
      const outs = Object.fromEntries(ind.spec.outputs.map((k) => [k, new Float64Array(len)]));
      for (const name of ind.spec.inputs) {
        const bads = name === 'volume' ? [NaN, Infinity, -Infinity, -1] : [NaN, Infinity, -Infinity, 0, -1];
        for (const bad of bads) {
          const copy = Float64Array.from(cut[name]!);
          copy[at] = bad;
          expectIndicatorError(() => ind.batch({ ...cut, [name]: copy }), 'INDICATOR_BAD_INPUT', name);
          expectIndicatorError(() => ind.batchInto({ ...cut, [name]: copy }, params, outs), 'INDICATOR_BAD_INPUT', name);
        }
      }
    }
  });

  it('rejects inputs of different lengths and missing inputs', () => {
    const names = ind.spec.inputs;
    const last = names[names.length - 1]!;
    if (names.length > 1) {
      expectIndicatorError(() => ind.batch({ ...inputs, [last]: inputs[last]!.subarray(1) }), 'INDICATOR_BAD_INPUT', last);
    }
    expectIndicatorError(() => ind.batch({ ...inputs, [last]: undefined }), 'INDICATOR_BAD_INPUT', last);
  });

  if (ind.spec.inputs.includes('high') && ind.spec.inputs.includes('low')) {
    it('rejects high < low', () => {
      const high = Float64Array.from(inputs.high!);
      high[9] = inputs.low![9]! - 1;
      expectIndicatorError(() => ind.batch({ ...inputs, high }), 'INDICATOR_BAD_INPUT', 'high');
    });
  }

  it('rejects out-of-range params naming the param', () => {
    for (const [key, value] of Object.entries(params)) {
      if (typeof value !== 'number') continue;
      expectIndicatorError(() => ind.parseParams({ [key]: -1e9 } as never), 'INDICATOR_BAD_PARAM', key);
      expectIndicatorError(() => ind.batch(inputs, { [key]: 1e12 } as never), 'INDICATOR_BAD_PARAM', key);
    }
  });
});
