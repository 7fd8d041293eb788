import { z } from 'zod';

/** Upper bound on any window: keeps per-stream state small and a typo (20000 vs 200) visible. */
export const MAX_PERIOD = 10_000;

/** An integer window length param with a default and range. */
export function period(def: number, min = 1, max = MAX_PERIOD): z.ZodDefault<z.ZodNumber> {
  return z.number().int().min(min).max(max).default(def);
}

/** A real-valued multiplier param (e.g. Bollinger's k). */
export function factor(def: number, min: number, max: number): z.ZodDefault<z.ZodNumber> {
  return z.number().min(min).max(max).default(def);
}
