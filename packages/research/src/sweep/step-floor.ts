import { floorToStep } from '@kairos/core';

function decimalsOf(step: number): number {
  const s = step.toString();
  const e = s.indexOf('e-');
  if (e >= 0) return Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

/**
 * A `floorToStep` for one fixed step, giving the same doubles without its string round
 * trip (the sweep's hot path calls it at every order). With step = m / 10^d, the core
 * function returns the double nearest to k·m / 10^d (k = ⌊v/step + 1e-9⌋), which is
 * exactly what `(k·m) / 10^d` computes when k·m is an exact integer and the value has at
 * most 15 significant digits; outside that range it defers to `floorToStep` itself.
 */
export function stepFloor(step: number): (value: number) => number {
  if (!(step > 0)) return (v) => v;
  const d = Math.min(20, decimalsOf(step));
  const scale = 10 ** d;
  const m = Math.round(step * scale);
  if (d > 15 || m / scale !== step) return (v) => floorToStep(v, step);
  const limit = 10 ** (15 - d);
  return (v) => {
    const k = Math.floor(v / step + 1e-9);
    const km = k * m;
    if (!(Math.abs(km) < limit) || !Number.isSafeInteger(km)) return floorToStep(v, step);
    return km / scale;
  };
}
