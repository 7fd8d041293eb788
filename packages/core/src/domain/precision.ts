/**
 * Rounding to a venue's step sizes. Floating steps like 0.00001 are not exact in binary,
 * so results are the doubles nearest to the exact decimal multiples of the step (no
 * 0.30000000000000004), computed with integer arithmetic where it is exact.
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

/** A step as the exact decimal m / scale (scale = 10^d), with the bound under which k·m stays exact. */
export type DecimalForm = { m: number; scale: number; limit: number } | undefined;

/**
 * `step` as m / 10^d with an integer m, when d ≤ 15 says it exactly; undefined otherwise.
 * Found by arithmetic, not by formatting, because order sizing calls this on every order.
 */
export function decimalForm(step: number): DecimalForm {
  for (let d = 0; d <= 15; d++) {
    const scale = 10 ** d;
    const m = Math.round(step * scale);
    if (m / scale === step) return { m, scale, limit: 10 ** (15 - d) };
  }
  return undefined;
}

/**
 * k·step as the double nearest to the decimal k·m / 10^d: an exact integer product and
 * one correctly rounded division give it without a string round trip, while the product
 * stays within 15 significant digits; otherwise through decimal formatting.
 */
export function multiple(k: number, step: number, form: DecimalForm): number {
  if (form) {
    const km = k * form.m;
    if (Math.abs(km) < form.limit && Number.isSafeInteger(km)) return km / form.scale;
  }
  return snap(k * step, step);
}

/** Largest multiple of `step` not above `value` (amounts: never sell or spend more than asked). */
export function floorToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  return multiple(Math.floor(value / step + 1e-9), step, decimalForm(step));
}

/** `floorToStep` for one fixed step, with the step's decimal form worked out once (hot loops). */
export function stepFloorer(step: number): (value: number) => number {
  if (!(step > 0)) return (v) => v;
  const form = decimalForm(step);
  return (v) => multiple(Math.floor(v / step + 1e-9), step, form);
}

/** Nearest multiple of `step` (prices). */
export function roundToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  return multiple(Math.round(value / step), step, decimalForm(step));
}

/** True when `value` is a multiple of `step` within float noise. */
export function isOnStep(value: number, step: number): boolean {
  if (!(step > 0)) return true;
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-6;
}
