import { describe, expect, it } from 'vitest';
import { computeMany, computeManySync, createGpuJsBackend, detectBackends, getIndicator, IndicatorError, selectBackend } from '../src/index.js';
import { firstMismatch, loadFixture } from './helpers/fixture-candles.js';

const btc = loadFixture('btc').inputs;
const eth = loadFixture('eth').inputs;

describe('multi-series', () => {
  it('auto picks cpu for small jobs and reports it', async () => {
    const res = await computeMany('ema', [btc, eth], [{ period: 10 }, { period: 20 }]);
    expect(res.backend).toBe('cpu');
    expect(firstMismatch(res.outputs[1]![0]!.value!, getIndicator('ema').batch(eth, { period: 10 }).value!, 0)).toBe(-1);
  });

  it('never auto-picks gpu.js without a hardware GPU (its cpu mode is slower than the cpu backend)', () => {
    const hw = detectBackends().find((b) => b.name === 'gpujs-hardware')!;
    const picked = selectBackend(getIndicator('sma'), 1e9).name;
    if (!hw.available) expect(picked).not.toMatch(/^gpujs/);
  });

  it('says which native part gpu.js lacks when it reaches no GPU', () => {
    const hw = detectBackends().find((b) => b.name === 'gpujs-hardware')!;
    if (hw.available) expect(hw.note).toMatch(/headless-gl or WebGPU/);
    else expect(hw.note).toMatch(/'gl' addon.*'webgpu' addon|did not load/);
  });

  it('worker threads give the same numbers as the cpu backend', async () => {
    const series = [btc, eth, btc];
    const res = await computeMany('macd', series, [{}, { fast: 5, slow: 35, signal: 5 }], { backend: 'worker' });
    expect(res.backend).toMatch(/^worker:/);
    const cpu = computeManySync('macd', series, [{}, { fast: 5, slow: 35, signal: 5 }]);
    for (let s = 0; s < 3; s++)
      for (let p = 0; p < 2; p++)
        for (const k of ['macd', 'signal', 'histogram']) expect(firstMismatch(res.outputs[s]![p]![k]!, cpu.outputs[s]![p]![k]!, 0)).toBe(-1);
    // Several inputs per series (high, low, close) and series of different lengths.
    const short = Object.fromEntries(Object.entries(eth).map(([k, v]) => [k, v.subarray(50)]));
    const multi = await computeMany('stoch', [btc, short], [{}, { period: 5 }], { backend: 'worker' });
    const cpuStoch = computeManySync('stoch', [btc, short], [{}, { period: 5 }]);
    for (let s = 0; s < 2; s++)
      for (let p = 0; p < 2; p++)
        for (const k of ['k', 'd']) expect(firstMismatch(multi.outputs[s]![p]![k]!, cpuStoch.outputs[s]![p]![k]!, 0), `${k} s${s} p${p}`).toBe(-1);
  }, 60_000);

  it('streams results through onResult with reused buffers (no per-result allocation)', () => {
    const seen = new Set<Float64Array>();
    let last = 0;
    computeManySync('sma', [btc, eth], [{ period: 5 }, { period: 50 }], {
      reuseBuffers: true,
      onResult: (_s, _p, out) => {
        seen.add(out.value!);
        last = out.value![out.value!.length - 1]!;
      },
    });
    expect(seen.size, 'one buffer reused for every result').toBe(1);
    expect(last).toBeCloseTo(getIndicator('sma').batch(eth, { period: 50 }).value!.at(-1)!, 9);
  });

  it('series of different lengths are fine on cpu and gpu.js', () => {
    const short = Object.fromEntries(Object.entries(eth).map(([k, v]) => [k, v.subarray(0, 321)]));
    const cpu = computeManySync('bbands', [btc, short], [{}]);
    const gpu = computeManySync('bbands', [btc, short], [{}], { backend: createGpuJsBackend({ mode: 'cpu' }) });
    expect(cpu.outputs[1]![0]!.upper!.length).toBe(321);
    expect(firstMismatch(gpu.outputs[1]![0]!.upper!, cpu.outputs[1]![0]!.upper!, 1e-5)).toBe(-1);
  });

  it.runIf(detectBackends().find((b) => b.name === 'gpujs-webasm')?.available)('gpu.js webasm mode runs the same kernels', () => {
    try {
      const res = computeManySync('sma', [btc], [{ period: 20 }], { backend: createGpuJsBackend({ mode: 'webasm' }) });
      expect(firstMismatch(res.outputs[0]![0]!.value!, getIndicator('sma').batch(btc, { period: 20 }).value!, 1e-5)).toBe(-1);
    } catch (e) {
      // gpu.js' WebAssembly backend compiles only a subset of JS; report, don't hide, what it rejected.
      expect.soft(String(e)).toBe('webasm kernel compiled');
    }
  });

  it('names the bad series and param set in errors', () => {
    const bad = { ...btc, close: Float64Array.from(btc.close, (v, i) => (i === 3 ? NaN : v)) };
    expect(() => computeManySync('sma', [btc, bad], [{}])).toThrow(/series #1: .*'close'/);
    expect(() => computeManySync('sma', [btc], [{}, { period: 0 }])).toThrow(IndicatorError);
    expect(() => computeManySync('rsi', [btc], [{}], { backend: createGpuJsBackend({ mode: 'cpu' }) })).toThrow(/does not support/);
  });
});
