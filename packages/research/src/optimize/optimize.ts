import type { Evaluator, TimeWindow } from './evaluator';
import { type ObjectiveName, OBJECTIVES, type SetScore, fitness } from './objectives';
import { type Dimension, type ParamSpace, pointAt } from './param-space';
import { crowdingDistance, nonDominatedSort } from './pareto';
import { ResearchConfigError } from './research-error';
import { type Rng, createRng } from './rng';

export type OptimizeMethod = 'grid' | 'random' | 'genetic' | 'nsga2';

export interface OptimizeOptions {
  readonly method: OptimizeMethod;
  readonly space: ParamSpace;
  readonly evaluator: Evaluator;
  /** First objective ranks single-objective searches; NSGA-II uses them all. */
  readonly objectives: readonly ObjectiveName[];
  readonly seed?: number;
  /** random: sets to draw (default 200). */
  readonly samples?: number;
  /** genetic / nsga2 */
  readonly population?: number;
  readonly generations?: number;
  readonly crossoverRate?: number;
  readonly mutationRate?: number;
  /** genetic: best members copied unchanged into the next generation. */
  readonly elitism?: number;
  readonly tournamentSize?: number;
  /** Sets per evaluator call (grid/random), so workers get work in chunks. */
  readonly batchSize?: number;
  /** Score on the candles of this window only (walk-forward's in-sample part). */
  readonly window?: TimeWindow;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One evaluated parameter set. */
export interface Evaluated {
  readonly params: Readonly<Record<string, unknown>>;
  readonly score: SetScore;
  /** The objectives' raw values, in the order asked. */
  readonly objectives: readonly number[];
}

export interface OptimizationResult {
  readonly method: OptimizeMethod;
  readonly seed: number;
  readonly objectives: readonly ObjectiveName[];
  /** Distinct valid sets evaluated. */
  readonly evaluations: number;
  readonly best: Evaluated | undefined;
  /** Every valid evaluated set, best first by the first objective. */
  readonly ranked: readonly Evaluated[];
  /** Sets no other evaluated set beats on every objective (one set with a single objective). */
  readonly pareto: readonly Evaluated[];
}

type Genome = number[];
const INVALID = -1e300;

class Search {
  readonly cache = new Map<string, SetScore | null>();
  private done = 0;
  constructor(
    readonly opts: OptimizeOptions,
    readonly total: number,
  ) {}

  async score(genomes: readonly Genome[]): Promise<Array<SetScore | null>> {
    const fresh: Genome[] = [];
    const seen = new Set<string>();
    for (const g of genomes) {
      const k = g.join(',');
      if (!this.cache.has(k) && !seen.has(k)) {
        seen.add(k);
        fresh.push(g);
      }
    }
    const size = this.opts.batchSize ?? 256;
    // Progress counts requested sets (repeats answered from the cache included), so it reaches 100%.
    const base = this.done;
    for (let i = 0; i < fresh.length; i += size) {
      const chunk = fresh.slice(i, i + size);
      const scores = await this.opts.evaluator.evaluate(chunk.map((g) => pointAt(this.opts.space, g)), this.opts.window);
      chunk.forEach((g, j) => this.cache.set(g.join(','), scores[j] ?? null));
      const part = Math.round(((i + chunk.length) / fresh.length) * genomes.length);
      this.opts.onProgress?.(Math.min(base + part, this.total), this.total);
    }
    this.done = base + genomes.length;
    if (fresh.length === 0) this.opts.onProgress?.(Math.min(this.done, this.total), this.total);
    return genomes.map((g) => this.cache.get(g.join(',')) ?? null);
  }

  values(score: SetScore | null): number[] {
    return this.opts.objectives.map((o) => (score ? fitness(score, o) : INVALID));
  }
}

function randomGenome(space: ParamSpace, rng: Rng): Genome {
  return space.dimensions.map((d) => rng.int(d.values.length));
}

function mutate(space: ParamSpace, g: Genome, rate: number, rng: Rng): Genome {
  return g.map((v, i) => {
    if (rng.next() >= rate) return v;
    const n = (space.dimensions[i] as Dimension).values.length;
    // Mostly small moves (a neighbour), sometimes a jump anywhere, so the search both refines and explores.
    if (rng.next() < 0.7) return Math.min(n - 1, Math.max(0, v + (rng.next() < 0.5 ? -1 : 1) * (1 + rng.int(3))));
    return rng.int(n);
  });
}

function crossover(a: Genome, b: Genome, rate: number, rng: Rng): Genome {
  if (rng.next() >= rate) return [...a];
  return a.map((v, i) => (rng.next() < 0.5 ? v : (b[i] as number)));
}

function checkOptions(o: OptimizeOptions): void {
  const int = (v: number | undefined, key: string, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new ResearchConfigError(key, `must be an integer >= ${min}, got ${v}`);
  };
  int(o.samples, 'samples', 1);
  int(o.population, 'population', 4);
  int(o.generations, 'generations', 1);
  int(o.elitism, 'elitism', 0);
  int(o.tournamentSize, 'tournamentSize', 1);
  for (const [k, v] of [['crossoverRate', o.crossoverRate], ['mutationRate', o.mutationRate]] as const) {
    if (v !== undefined && !(v >= 0 && v <= 1)) throw new ResearchConfigError(k, `must be in [0, 1], got ${v}`);
  }
  if (o.space.dimensions.length === 0) throw new ResearchConfigError('ranges', 'no parameter to search: give at least one range');
  if (o.method === 'grid' && o.space.size > 5_000_000) throw new ResearchConfigError('ranges', `the grid has ${o.space.size} points; use random, genetic or nsga2`);
}

/**
 * Searches a parameter space. All methods are seeded (default seed 1) and reproducible:
 * the same seed, space and data give the same result.
 */
export async function optimize(o: OptimizeOptions): Promise<OptimizationResult> {
  checkOptions(o);
  const seed = o.seed ?? 1;
  const rng = createRng(seed);
  const space = o.space;
  const pop = o.population ?? 40;
  const gens = o.generations ?? 20;
  const cx = o.crossoverRate ?? 0.9;
  const mut = o.mutationRate ?? 1 / Math.max(1, space.dimensions.length);
  let search: Search;

  if (o.method === 'grid') {
    search = new Search(o, space.size);
    const all: Genome[] = [];
    const g = space.dimensions.map(() => 0);
    for (let k = 0; k < space.size; k++) {
      all.push([...g]);
      for (let d = g.length - 1; d >= 0; d--) {
        g[d] = (g[d] as number) + 1;
        if ((g[d] as number) < (space.dimensions[d] as Dimension).values.length) break;
        g[d] = 0;
      }
    }
    await search.score(all);
  } else if (o.method === 'random') {
    const n = o.samples ?? 200;
    search = new Search(o, n);
    await search.score(Array.from({ length: n }, () => randomGenome(space, rng)));
  } else if (o.method === 'genetic') {
    search = new Search(o, pop * gens);
    const elite = Math.min(o.elitism ?? 2, pop);
    const tsize = o.tournamentSize ?? 3;
    let members = Array.from({ length: pop }, () => randomGenome(space, rng));
    for (let gen = 0; gen < gens; gen++) {
      const scores = await search.score(members);
      const fit = scores.map((s) => search.values(s)[0] as number);
      const order = members.map((_, i) => i).sort((a, b) => (fit[b] as number) - (fit[a] as number) || a - b);
      if (gen === gens - 1) break;
      const pick = (): Genome => {
        let best = rng.int(pop);
        for (let t = 1; t < tsize; t++) {
          const c = rng.int(pop);
          if ((fit[c] as number) > (fit[best] as number)) best = c;
        }
        return members[best] as Genome;
      };
      const next: Genome[] = order.slice(0, elite).map((i) => members[i] as Genome);
      while (next.length < pop) next.push(mutate(space, crossover(pick(), pick(), cx, rng), mut, rng));
      members = next;
    }
  } else {
    search = new Search(o, pop * gens);
    let members = Array.from({ length: pop }, () => randomGenome(space, rng));
    let scores = await search.score(members);
    for (let gen = 1; gen < gens; gen++) {
      const vals = scores.map((s) => search.values(s));
      const { rank, crowd } = rankAndCrowd(vals);
      const pick = (): Genome => {
        const a = rng.int(members.length);
        const b = rng.int(members.length);
        const better = (rank[a] as number) < (rank[b] as number) || ((rank[a] as number) === (rank[b] as number) && (crowd[a] as number) > (crowd[b] as number));
        return members[better ? a : b] as Genome;
      };
      const kids: Genome[] = Array.from({ length: pop }, () => mutate(space, crossover(pick(), pick(), cx, rng), mut, rng));
      const kidScores = await search.score(kids);
      const union = [...members, ...kids];
      const unionScores = [...scores, ...kidScores];
      const uv = unionScores.map((s) => search.values(s));
      const fronts = nonDominatedSort(uv);
      const chosen: number[] = [];
      for (const front of fronts) {
        if (chosen.length + front.length <= pop) {
          chosen.push(...front);
          continue;
        }
        const cd = crowdingDistance(uv, front);
        const rest = [...front].sort((a, b) => (cd.get(b) as number) - (cd.get(a) as number) || a - b);
        chosen.push(...rest.slice(0, pop - chosen.length));
        break;
      }
      members = chosen.map((i) => union[i] as Genome);
      scores = chosen.map((i) => unionScores[i] ?? null);
    }
  }
  return summarise(o, seed, search);
}

function rankAndCrowd(vals: number[][]): { rank: number[]; crowd: number[] } {
  const rank = vals.map(() => 0);
  const crowd = vals.map(() => 0);
  nonDominatedSort(vals).forEach((front, r) => {
    const cd = crowdingDistance(vals, front);
    for (const i of front) {
      rank[i] = r;
      crowd[i] = cd.get(i) as number;
    }
  });
  return { rank, crowd };
}

function summarise(o: OptimizeOptions, seed: number, search: Search): OptimizationResult {
  const evaluated: Evaluated[] = [];
  const fits: number[][] = [];
  for (const [key, score] of search.cache) {
    if (!score) continue;
    const genome = key.split(',').map(Number);
    evaluated.push({ params: pointAt(o.space, genome), score, objectives: o.objectives.map((n) => OBJECTIVES[n].read(score)) });
    fits.push(search.values(score));
  }
  const idx = evaluated.map((_, i) => i).sort((a, b) => (fits[b]![0] as number) - (fits[a]![0] as number) || a - b);
  const ranked = idx.map((i) => evaluated[i] as Evaluated);
  const front = o.objectives.length > 1 ? (nonDominatedSort(fits)[0] ?? []) : idx.slice(0, 1);
  const pareto = [...front].sort((a, b) => (fits[b]![0] as number) - (fits[a]![0] as number) || a - b).map((i) => evaluated[i] as Evaluated);
  return { method: o.method, seed, objectives: o.objectives, evaluations: evaluated.length, best: ranked[0], ranked, pareto };
}
