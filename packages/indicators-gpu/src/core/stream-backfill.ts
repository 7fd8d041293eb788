import type { Kernel } from './kernel.js';
import type { Bar, InputName, SeriesInputs } from './types.js';
import { validateInputs } from './validate-inputs.js';

/** The parts of a stream a backfill works on. */
export interface BackfillTarget<P> {
  readonly name: string;
  readonly inputs: readonly InputName[];
  readonly outputs: readonly string[];
  readonly kernel: Kernel<P>;
  readonly params: P;
  /** The kernel state the stream continues from. */
  readonly state: Float64Array;
  /** Counts `bars` bars fed past the stream's update(). */
  advance(bars: number): void;
  /** The stream's own update(), for the last bar. */
  update(bar: Bar): Readonly<Record<string, number>>;
}

/**
 * `updateBatch` of every stream form: all but the last bar go through the kernel at
 * batch speed, the last through the stream's own update(), so that replace() afterwards
 * has its snapshot. Returns the outputs for these bars only.
 */
export function backfill<P>(target: BackfillTarget<P>, inputs: SeriesInputs): Record<string, Float64Array> {
  const arrays = validateInputs(target.name, target.inputs, inputs);
  const m = arrays[0]?.length ?? 0;
  const out: Record<string, Float64Array> = {};
  const outs = target.outputs.map((k) => (out[k] = new Float64Array(m)));
  if (m === 0) return out;
  target.kernel.run(arrays, outs, target.state, target.params, 0, m - 1);
  target.advance(m - 1);
  const last: Bar = { open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN };
  target.inputs.forEach((name, k) => (last[name] = arrays[k]![m - 1]!));
  const r = target.update(last);
  target.outputs.forEach((k, o) => (outs[o]![m - 1] = r[k]!));
  return out;
}
