/**
 * `pnpm bench strategies [--json] [--quick]`: how many candles per second the signal step
 * handles for 500 symbols, in live mode (one new candle per symbol per tick: append,
 * streaming indicator update, decide) and in batch mode (indicators once per series,
 * then the whole series' signals through `runStrategy`), next to the time of computing
 * the indicators alone.
 * Both sides of a mode run the same candles and the same indicator set, append the same
 * way and differ only in calling `decide`; times are CPU time, medians of alternating runs
 * after a warm-up. The strategy layer's cost is the ratio of the two; the target is under 2x.
 */
import { cpus } from 'node:os';
import { builtinStrategies, type Candle, runStrategy, type Strategy, SymbolState, type Timeframe } from '@kairos/core';
import { bundledSeries, loadCandles } from '../packages/core/src/strategies/test-support/real-candles';

interface Result {
  subject: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
}

const SYMBOLS = 500;

/** 500 distinct series cut from the bundled 1h files, each scaled slightly so no two are equal. */
function universe(length: number): Array<{ symbol: string; candles: Candle[] }> {
  const files = bundledSeries().filter((s) => s.timeframe === '1h');
  const loaded = files.map((f) => loadCandles(f.file)).filter((c) => c.length >= length);
  return Array.from({ length: SYMBOLS }, (_, i) => {
    const src = loaded[i % loaded.length] as Candle[];
    const k = 1 + Math.floor(i / loaded.length) * 1e-4;
    const candles = src.slice(0, length).map((c) => ({ ...c, open: c.open * k, high: c.high * k, low: c.low * k, close: c.close * k }));
    return { symbol: `S${i}/USDT`, candles };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** CPU time (ms) of this process spent in `fn`: other processes on a shared machine do not count. */
function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/**
 * Medians (ms of CPU time) of `runs` alternating runs of `a` and `b`, after one unmeasured
 * warm-up of each: alternating spreads any drift (GC pressure, a busy neighbour) over both.
 */
function pairedMedians(runs: number, a: () => number, b: () => number): [number, number] {
  a();
  b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < runs; r++) {
    ta.push(a());
    tb.push(b());
  }
  return [median(ta), median(tb)];
}

const tf: Timeframe = '1h';

/**
 * The batch run of {@link runStrategy}, with or without `decide`: both sides preload the
 * same indicators and append every candle, so the difference is the strategy layer alone.
 */
function batch(make: () => Strategy, data: ReturnType<typeof universe>, decide: boolean): number {
  const s = make();
  return cpuMs(() => {
    if (decide) {
      for (const { symbol, candles } of data) runStrategy(s, { symbol, timeframe: tf, candles, mode: 'batch' });
      return;
    }
    for (const { symbol, candles } of data) {
      const state = new SymbolState(symbol, tf, {}, { preload: candles });
      state.viewFor(s);
      for (const c of candles) state.append(c);
    }
  });
}

/**
 * Warms 500 symbol states on `warm` candles, then times `ticks` rounds of one candle each
 * (append, streaming indicator update, decide), symbol after symbol as a live bot does.
 */
function live(make: () => Strategy, data: ReturnType<typeof universe>, warm: number, ticks: number, decide: boolean): number {
  const s = make();
  const states = data.map(({ symbol, candles }) => {
    const state = new SymbolState(symbol, tf);
    const view = state.viewFor(s);
    for (let i = 0; i < warm; i++) state.append(candles[i] as Candle);
    return { state, view, candles };
  });
  return cpuMs(() => {
    for (let t = warm; t < warm + ticks; t++) {
      for (const x of states) {
        x.state.append(x.candles[t] as Candle);
        if (decide && x.view.length >= s.warmup) s.decide(x.view);
      }
    }
  });
}

export async function run(opts: { json: boolean; args?: string[] }): Promise<void> {
  const quick = opts.args?.includes('--quick') ?? false;
  const length = quick ? 600 : 1500;
  // Live ticks start past 1024 candles: a symbol's columns double their capacity there
  // (1024 → 2048), work a long-running bot does once per doubling. A window that held the
  // doubling of all 500 symbols would time it as if it came every 500 ticks, inflating the
  // indicator side (and with it, flattering the ratio) and its GC noise.
  const warm = quick ? 400 : 1100;
  const ticks = length - warm;
  const runs = quick ? 1 : 5;
  const data = universe(length);
  const registry = builtinStrategies();
  const all = registry.ids().join(',');
  const subjects: Array<{ name: string; make: () => Strategy }> = [
    ...registry.ids().map((id) => ({ name: id, make: () => registry.create(id, {}) })),
    { name: 'aggregate(4)', make: () => registry.create(all, { aggregate: { memory: 6 } }) },
  ];
  const results: Result[] = [];
  const lines: string[] = [];
  for (const sub of subjects) {
    const batchCandles = SYMBOLS * length;
    const [tInd, tSig] = pairedMedians(runs, () => batch(sub.make, data, false), () => batch(sub.make, data, true));
    const liveCandles = SYMBOLS * ticks;
    const [lInd, lSig] = pairedMedians(runs, () => live(sub.make, data, warm, ticks, false), () => live(sub.make, data, warm, ticks, true));
    const rate = (n: number, ms: number) => n / (ms / 1000) / 1e6;
    const batchCase = `${SYMBOLS} symbols × ${length} candles, batch`;
    const liveCase = `${SYMBOLS} symbols, ${ticks} ticks of one candle each, live`;
    results.push(
      { subject: `${sub.name}:indicators`, case: batchCase, metric: 'throughput', value: rate(batchCandles, tInd), unit: 'Mcandles/s' },
      { subject: `${sub.name}:signals`, case: batchCase, metric: 'throughput', value: rate(batchCandles, tSig), unit: 'Mcandles/s' },
      { subject: `${sub.name}`, case: batchCase, metric: 'overhead', value: tSig / tInd, unit: 'x indicator time' },
      { subject: `${sub.name}:indicators`, case: liveCase, metric: 'throughput', value: rate(liveCandles, lInd), unit: 'Mcandles/s' },
      { subject: `${sub.name}:signals`, case: liveCase, metric: 'throughput', value: rate(liveCandles, lSig), unit: 'Mcandles/s' },
      { subject: `${sub.name}`, case: liveCase, metric: 'overhead', value: lSig / lInd, unit: 'x indicator time' },
    );
    lines.push(
      `${sub.name.padEnd(20)} batch: indicators ${rate(batchCandles, tInd).toFixed(2)} Mc/s, with signals ${rate(batchCandles, tSig).toFixed(2)} Mc/s (${(tSig / tInd).toFixed(2)}x)` +
        `   live: indicators ${rate(liveCandles, lInd).toFixed(2)} Mc/s, with signals ${rate(liveCandles, lSig).toFixed(2)} Mc/s (${(lSig / lInd).toFixed(2)}x)`,
    );
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ bench: 'strategies', node: process.version, cpus: cpus().length, results })}\n`);
    return;
  }
  process.stdout.write(`strategies: ${SYMBOLS} symbols, median CPU time of ${runs} runs (signals = indicators + the strategy layer)\n`);
  for (const l of lines) process.stdout.write(`${l}\n`);
}
