/**
 * Rounding to a venue's step sizes. Floating steps like 0.00001 are not exact in binary,
 * so results are snapped through the step's decimal count to avoid 0.30000000000000004.
 */
function decimalsOf(step: number): number {
  if (!(step > 0)) return 0;
  const s = step.toString();
  const e = s.indexOf('e-');
  if (e >= 0) return Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

function snap(value: number, step: number): number {
  return Number(value.toFixed(Math.min(20, decimalsOf(step))));
}

/** Largest multiple of `step` not above `value` (amounts: never sell or spend more than asked). */
export function floorToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  return snap(Math.floor(value / step + 1e-9) * step, step);
}

/** Nearest multiple of `step` (prices). */
export function roundToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  return snap(Math.round(value / step) * step, step);
}

/** True when `value` is a multiple of `step` within float noise. */
export function isOnStep(value: number, step: number): boolean {
  if (!(step > 0)) return true;
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-6;
}
