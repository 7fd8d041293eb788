/**
 * The multi-series figures of `pnpm bench indicators`: 500 symbols x 10,000
 * candles x 20 EMA periods on the CPU backend, on a kept pool of worker
 * threads, and on gpu.js when gpu.js reaches a GPU here.
 *
 * Without a GPU, gpu.js only has its test modes (cpu, webasm). Those run the
 * GPU kernels one output at a time, and each EMA output is a truncated sum
 * of up to ~800 terms, so they are two orders of magnitude slower than the
 * CPU backend: a full sweep would take about a minute. They are timed on a
 * slice of the sweep instead, beside the CPU backend on the same slice, so
 * the figure says what that path costs without passing for a GPU figure.
 */
import { computeMany, computeManySync, createGpuJsBackend, createWorkerBackend, detectBackends, hasHardwareGpu, type GpuJsMode, type MultiSeriesBackend } from '../../packages/indicators-gpu/src/index.js';

/** One figure of the sweep, in the bench's row format. */
export interface SweepRow {
  subject: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
}

/** CPU and wall seconds of one call. */
export interface SweepTiming {
  cpu: number;
  wall: number;
}

export interface SweepOptions {
  /** Candles to cut the symbols from (each symbol is a window at its own offset). */
  readonly close: Float64Array;
  /** Times a call: median over runs after warm-up. */
  readonly time: (fn: () => unknown, warm: number, runs: number) => SweepTiming;
  /** gpu.js mode to time; default: 'gpu' where gpu.js reaches a GPU, else 'webasm' on a slice. */
  readonly gpujsMode?: GpuJsMode;
}

export interface SweepResult {
  readonly rows: SweepRow[];
  /** Human-readable lines, one per figure. */
  readonly lines: string[];
}

const SYMBOLS = 500;
const LENGTH = 10_000;
/** Symbols in the slice that gpu.js' test modes are timed on. */
const SLICE = 10;
const PARAM_SETS = Array.from({ length: 20 }, (_, k) => ({ period: 5 + 5 * k }));

/** Times the sweep on the CPU backend, on a pool of worker threads and on gpu.js, and says which gpu.js ran and why. */
export async function multiSeriesSweep(opts: SweepOptions): Promise<SweepResult> {
  const rows: SweepRow[] = [];
  const lines: string[] = [];
  const series = symbols(opts.close, SYMBOLS);
  const full = `EMA x20 params x${SYMBOLS} symbols n=${LENGTH}`;

  const cpu = sweep(series, 'cpu', opts.time, 3);
  pushTiming(rows, 'kairos-multi-cpu', full, cpu.timing);
  lines.push(`multi-series: ${SYMBOLS} symbols x 10,000 candles x 20 EMA params on cpu: ${cpu.timing.cpu.toFixed(3)} s CPU, ${cpu.timing.wall.toFixed(3)} s wall (target < 0.5 s; checksum ${cpu.checksum.toExponential(3)})`);

  const pool = await poolSweep(series, cpu);
  pushTiming(rows, pool.subject, full, pool.timing);
  lines.push(
    `multi-series on a kept pool of ${pool.threads} worker threads: ${pool.timing.wall.toFixed(3)} s wall, ${pool.timing.cpu.toFixed(3)} s CPU (all threads); ` +
      `the cpu backend's wall time / the pool's = ${(cpu.timing.wall / pool.timing.wall).toFixed(2)}; checksum within ${pool.gap.toExponential(1)} of cpu's`,
  );

  const hardware = hasHardwareGpu();
  const mode = opts.gpujsMode ?? (hardware ? 'gpu' : 'webasm');
  const onGpu = mode !== 'cpu' && mode !== 'webasm';
  if (onGpu && !hardware) {
    lines.push(`gpu.js '${mode}': no GPU reachable through gpu.js here (${whyNoGpu()}); gpu.js would fall back to its cpu mode, so nothing was timed`);
    return { rows, lines };
  }
  const slice = onGpu ? series : series.slice(0, SLICE);
  const label = onGpu ? full : `EMA x20 params x${SLICE} symbols n=${LENGTH}`;
  const backend = createGpuJsBackend({ mode });
  const gpu = sweep(slice, backend, opts.time, 1);
  const subject = `kairos-multi-gpujs-${mode}`;
  pushTiming(rows, subject, label, gpu.timing);
  const agree = relativeGap(gpu.checksum, checksumOf(cpu, slice.length));
  if (onGpu) {
    lines.push(`multi-series on gpu.js (${backend.name}): ${gpu.timing.wall.toFixed(3)} s wall, ${gpu.timing.cpu.toFixed(3)} s CPU; the cpu backend's wall time / gpu.js' = ${(cpu.timing.wall / gpu.timing.wall).toFixed(2)}; checksum within ${agree.toExponential(1)} of cpu's`);
    return { rows, lines };
  }
  // A slice takes milliseconds on the cpu backend: more runs for a steady median.
  const cpuSlice = sweep(slice, 'cpu', opts.time, 15);
  pushTiming(rows, 'kairos-multi-cpu', label, cpuSlice.timing);
  lines.push(
    `multi-series on gpu.js: ${hardware ? `timed in '${mode}' as asked` : `no GPU reachable through gpu.js here (${whyNoGpu()})`}; ` +
      `its '${mode}' test mode (${backend.name}) on ${SLICE} of the ${SYMBOLS} symbols: ${gpu.timing.cpu.toFixed(3)} s CPU, ` +
      `${(gpu.timing.cpu / cpuSlice.timing.cpu).toFixed(0)}x the cpu backend on the same slice (${cpuSlice.timing.cpu.toFixed(4)} s); checksum within ${agree.toExponential(1)} of cpu's`,
  );
  return { rows, lines };
}

/** The sweep on a pool kept open across runs (as an application keeps one): median of 3 after a warm-up run that starts it. */
async function poolSweep(series: { close: Float64Array }[], cpu: SweepRun): Promise<{ subject: string; threads: number; timing: SweepTiming; gap: number }> {
  const pool = createWorkerBackend();
  const P = PARAM_SETS.length;
  const lasts = new Float64Array(series.length * P);
  const once = async (): Promise<SweepTiming> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await computeMany('ema', series, PARAM_SETS, { backend: pool, reuseBuffers: true, onResult: (s, p, o) => (lasts[s * P + p] = o.value![LENGTH - 1]!) });
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
  };
  try {
    await once();
    const runs = [await once(), await once(), await once()];
    const mid = (k: keyof SweepTiming) => runs.map((r) => r[k]).sort((a, b) => a - b)[1]!;
    let gap = 0;
    for (let i = 0; i < lasts.length; i++) gap = Math.max(gap, relativeGap(lasts[i]!, cpu.lasts[i]!));
    return { subject: `kairos-multi-worker-${pool.threads}`, threads: pool.threads, timing: { cpu: mid('cpu'), wall: mid('wall') }, gap };
  } finally {
    await pool.close();
  }
}

function symbols(close: Float64Array, count: number): { close: Float64Array }[] {
  return Array.from({ length: count }, (_, s) => {
    const off = (s * 173) % (close.length - LENGTH);
    return { close: close.subarray(off, off + LENGTH) };
  });
}

interface SweepRun {
  timing: SweepTiming;
  checksum: number;
  /** Last value of each (symbol, param set), in order: to compare backends on a slice. */
  lasts: Float64Array;
}

function sweep(series: { close: Float64Array }[], backend: 'cpu' | MultiSeriesBackend, time: SweepOptions['time'], runs: number): SweepRun {
  const P = PARAM_SETS.length;
  const lasts = new Float64Array(series.length * P);
  const timing = time(
    () => computeManySync('ema', series, PARAM_SETS, { backend, reuseBuffers: true, onResult: (s, p, o) => (lasts[s * P + p] = o.value![LENGTH - 1]!) }),
    1,
    runs,
  );
  return { timing, checksum: lasts.reduce((a, b) => a + b, 0), lasts };
}

/** The CPU run's checksum over its first `n` symbols. */
function checksumOf(run: SweepRun, n: number): number {
  return run.lasts.subarray(0, n * PARAM_SETS.length).reduce((a, b) => a + b, 0);
}

function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

function whyNoGpu(): string {
  const hw = detectBackends().find((b) => b.name === 'gpujs-hardware');
  return hw?.note ?? 'gpu.js did not load';
}

function pushTiming(rows: SweepRow[], subject: string, label: string, t: SweepTiming): void {
  rows.push({ subject, case: label, metric: 'time', value: t.cpu, unit: 's' });
  rows.push({ subject, case: label, metric: 'time-wall', value: t.wall, unit: 's' });
}
