import type { Evaluator } from '../optimize/evaluator';
import { type ObjectiveName, OBJECTIVES } from '../optimize/objectives';
import { type ParamSpace } from '../optimize/param-space';
import { ResearchConfigError } from '../optimize/research-error';

export interface SensitivityOptions {
  readonly space: ParamSpace;
  readonly evaluator: Evaluator;
  /** The optimum (a full parameter set). */
  readonly best: Readonly<Record<string, unknown>>;
  readonly objective: ObjectiveName;
  /** Value steps of the space tried on each side of the optimum (default 3). */
  readonly radius?: number;
  /** A neighbour one step away losing more than this share of the optimum's |value| is a cliff (default 0.5). */
  readonly cliffDrop?: number;
  /** Parameter pairs for heatmaps (default: the first two dimensions, if there are two). */
  readonly pairs?: ReadonlyArray<readonly [string, string]>;
}

export interface ParamSensitivity {
  readonly param: string;
  readonly points: ReadonlyArray<{ value: unknown; metric: number | null; changePct: number | null }>;
  /** Steepest relative fall at one step from the optimum, 0–1 (null when no neighbour was valid). */
  readonly worstNeighbourDrop: number | null;
  readonly cliff: boolean;
}

export interface Heatmap {
  readonly x: string;
  readonly y: string;
  readonly xValues: readonly unknown[];
  readonly yValues: readonly unknown[];
  /** metric[yi][xi]; null where the set is invalid. */
  readonly metric: ReadonlyArray<ReadonlyArray<number | null>>;
}

export interface SensitivityResult {
  readonly objective: ObjectiveName;
  readonly base: number;
  readonly params: readonly ParamSensitivity[];
  readonly heatmaps: readonly Heatmap[];
  /** True when any parameter's optimum sits on a cliff. */
  readonly onCliff: boolean;
}

function around(values: readonly unknown[], current: unknown, radius: number): { list: unknown[]; at: number } {
  let at = values.findIndex((v) => v === current);
  if (at < 0 && typeof current === 'number') {
    // The optimum may lie between grid values: take the nearest.
    at = values.reduce<number>((b, v, i) => (Math.abs((v as number) - current) < Math.abs((values[b] as number) - current) ? i : b), 0);
  }
  const lo = Math.max(0, at - radius);
  const hi = Math.min(values.length - 1, at + radius);
  return { list: values.slice(lo, hi + 1), at: at - lo };
}

/**
 * Varies each searched parameter around the optimum (others held) and reports the
 * objective and its change; builds 2-D heatmaps for parameter pairs; flags an optimum
 * whose one-step neighbour loses more than `cliffDrop` of its value (a fragile peak).
 */
export async function sensitivity(o: SensitivityOptions): Promise<SensitivityResult> {
  const radius = o.radius ?? 3;
  const cliffDrop = o.cliffDrop ?? 0.5;
  const read = (s: Awaited<ReturnType<Evaluator['evaluate']>>[number]) => (s ? OBJECTIVES[o.objective].read(s) : null);
  const [baseScore] = await o.evaluator.evaluate([o.best]);
  const base = read(baseScore ?? null);
  if (base === null) throw new ResearchConfigError('best', 'the optimum is not a valid parameter set');
  const sign = OBJECTIVES[o.objective].direction === 'max' ? 1 : -1;
  const params: ParamSensitivity[] = [];
  for (const dim of o.space.dimensions) {
    const { list, at } = around(dim.values, o.best[dim.name], radius);
    const scores = await o.evaluator.evaluate(list.map((v) => ({ ...o.best, [dim.name]: v })));
    const points = list.map((value, i) => {
      const metric = read(scores[i] ?? null);
      return { value, metric, changePct: metric === null ? null : base !== 0 ? ((metric - base) / Math.abs(base)) * 100 : metric === 0 ? 0 : null };
    });
    let worst: number | null = null;
    for (const j of [at - 1, at + 1]) {
      const m = points[j]?.metric;
      if (m === undefined || m === null) continue;
      const drop = base !== 0 ? (sign * (base - m)) / Math.abs(base) : 0;
      worst = worst === null ? drop : Math.max(worst, drop);
    }
    params.push({ param: dim.name, points, worstNeighbourDrop: worst, cliff: worst !== null && worst > cliffDrop });
  }
  const dims = o.space.dimensions;
  const pairs = o.pairs ?? (dims.length >= 2 ? [[(dims[0] as { name: string }).name, (dims[1] as { name: string }).name] as const] : []);
  const heatmaps: Heatmap[] = [];
  for (const [x, y] of pairs) {
    const dx = dims.find((d) => d.name === x);
    const dy = dims.find((d) => d.name === y);
    if (!dx) throw new ResearchConfigError('pairs', `'${x}' is not a searched parameter`, x);
    if (!dy) throw new ResearchConfigError('pairs', `'${y}' is not a searched parameter`, y);
    const xs = around(dx.values, o.best[x], radius * 2).list;
    const ys = around(dy.values, o.best[y], radius * 2).list;
    const sets = ys.flatMap((vy) => xs.map((vx) => ({ ...o.best, [x]: vx, [y]: vy })));
    const scores = await o.evaluator.evaluate(sets);
    heatmaps.push({ x, y, xValues: xs, yValues: ys, metric: ys.map((_, yi) => xs.map((_, xi) => read(scores[yi * xs.length + xi] ?? null))) });
  }
  return { objective: o.objective, base, params, heatmaps, onCliff: params.some((p) => p.cliff) };
}
