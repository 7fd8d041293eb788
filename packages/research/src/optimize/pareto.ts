/** True when `a` is at least as good as `b` everywhere and better somewhere (all maximised). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x < y) return false;
    if (x > y) better = true;
  }
  return better;
}

/** Fast non-dominated sort (Deb et al.): fronts of indices, best front first. */
export function nonDominatedSort(points: readonly (readonly number[])[]): number[][] {
  const n = points.length;
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  const count = new Int32Array(n);
  const fronts: number[][] = [[]];
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      if (p === q) continue;
      if (dominates(points[p] as number[], points[q] as number[])) (dominatedBy[p] as number[]).push(q);
      else if (dominates(points[q] as number[], points[p] as number[])) count[p] = (count[p] as number) + 1;
    }
    if (count[p] === 0) (fronts[0] as number[]).push(p);
  }
  let i = 0;
  while ((fronts[i] as number[]).length > 0) {
    const next: number[] = [];
    for (const p of fronts[i] as number[]) {
      for (const q of dominatedBy[p] as number[]) {
        count[q] = (count[q] as number) - 1;
        if (count[q] === 0) next.push(q);
      }
    }
    i += 1;
    fronts.push(next);
  }
  fronts.pop();
  return fronts;
}

/** Crowding distance of each member of one front (boundary points are infinite). */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[]): Map<number, number> {
  const d = new Map<number, number>(front.map((i) => [i, 0]));
  if (front.length === 0) return d;
  const m = (points[front[0] as number] as number[]).length;
  for (let k = 0; k < m; k++) {
    const sorted = [...front].sort((a, b) => (points[a] as number[])[k]! - (points[b] as number[])[k]! || a - b);
    const lo = (points[sorted[0] as number] as number[])[k] as number;
    const hi = (points[sorted[sorted.length - 1] as number] as number[])[k] as number;
    d.set(sorted[0] as number, Number.POSITIVE_INFINITY);
    d.set(sorted[sorted.length - 1] as number, Number.POSITIVE_INFINITY);
    if (!(hi > lo)) continue;
    for (let j = 1; j < sorted.length - 1; j++) {
      const id = sorted[j] as number;
      const gap = ((points[sorted[j + 1] as number] as number[])[k]! - (points[sorted[j - 1] as number] as number[])[k]!) / (hi - lo);
      d.set(id, (d.get(id) as number) + gap);
    }
  }
  return d;
}
