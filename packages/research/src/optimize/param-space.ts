import type { StrategyDefinition } from '@kairos/core';
import { z } from 'zod';
import { ResearchConfigError } from './research-error';

/** A user's range for one parameter: numbers by min/max/step, or an explicit list of values. */
export type ParamRange =
  | { readonly min: number; readonly max: number; readonly step?: number }
  | { readonly values: readonly (number | string | boolean)[] };

/** One searchable dimension, always discrete: optimizers work on value indices. */
export interface Dimension {
  readonly name: string;
  readonly values: readonly (number | string | boolean)[];
}

/** The search space of a strategy: searched dimensions plus fixed values for the rest. */
export interface ParamSpace {
  readonly strategyId: string;
  readonly dimensions: readonly Dimension[];
  readonly fixed: Readonly<Record<string, unknown>>;
  /** Number of points of the full grid. */
  readonly size: number;
}

/** Points a float range without a step is cut into. */
export const DEFAULT_FLOAT_POINTS = 21;
/** Largest number of values one dimension may have. */
export const MAX_DIMENSION_VALUES = 100_000;

interface FieldInfo {
  kind: 'number' | 'int' | 'boolean' | 'enum' | 'other';
  min: number;
  max: number;
  options: readonly (string | number)[];
}

function fieldInfo(schema: z.ZodType): FieldInfo {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = (s as z.ZodDefault<z.ZodType>).unwrap() as z.ZodType;
  if (s instanceof z.ZodNumber) {
    return { kind: s.isInt ? 'int' : 'number', min: s.minValue ?? Number.NEGATIVE_INFINITY, max: s.maxValue ?? Number.POSITIVE_INFINITY, options: [] };
  }
  if (s instanceof z.ZodBoolean) return { kind: 'boolean', min: 0, max: 1, options: [] };
  if (s instanceof z.ZodEnum) return { kind: 'enum', min: 0, max: 0, options: s.options as (string | number)[] };
  return { kind: 'other', min: 0, max: 0, options: [] };
}

function shapeOf(def: StrategyDefinition): Record<string, z.ZodType> {
  const p = def.params as unknown;
  if (p instanceof z.ZodObject) return p.shape as Record<string, z.ZodType>;
  throw new ResearchConfigError('strategy', `strategy '${def.id}' does not declare an object of parameters`);
}

/** The parameters a strategy declares, with their kinds and ranges (for `--help` and defaults). */
export function describeParams(def: StrategyDefinition): Array<{ name: string } & FieldInfo> {
  return Object.entries(shapeOf(def)).map(([name, s]) => ({ name, ...fieldInfo(s) }));
}

/**
 * Builds a search space from ranges over a strategy's zod parameters. Fails with a
 * {@link ResearchConfigError} naming the parameter when a name is unknown, min > max, a
 * step is not positive, a value lies outside the schema's range, or a type is wrong.
 * Parameters not ranged keep `fixed` values or their defaults.
 */
export function paramSpace(def: StrategyDefinition, ranges: Readonly<Record<string, ParamRange>>, fixed: Readonly<Record<string, unknown>> = {}): ParamSpace {
  const shape = shapeOf(def);
  const dimensions: Dimension[] = [];
  for (const name of Object.keys(fixed)) {
    if (!(name in shape)) throw new ResearchConfigError(`fixed.${name}`, `unknown parameter '${name}' of ${def.id}; known: ${Object.keys(shape).join(', ')}`, name);
  }
  for (const [name, range] of Object.entries(ranges)) {
    const field = shape[name];
    const key = `ranges.${name}`;
    if (!field) throw new ResearchConfigError(key, `unknown parameter '${name}' of ${def.id}; known: ${Object.keys(shape).join(', ')}`, name);
    const info = fieldInfo(field);
    let values: (number | string | boolean)[];
    if ('values' in range) {
      if (range.values.length === 0) throw new ResearchConfigError(`${key}.values`, 'needs at least one value', name);
      values = [...range.values];
      for (const v of values) {
        const ok =
          info.kind === 'boolean' ? typeof v === 'boolean' : info.kind === 'enum' ? info.options.includes(v as string) : info.kind === 'other' ? true : typeof v === 'number' && v >= info.min && v <= info.max && (info.kind !== 'int' || Number.isInteger(v));
        if (!ok) throw new ResearchConfigError(`${key}.values`, `value ${JSON.stringify(v)} is not allowed for ${name}${info.kind === 'enum' ? `; allowed: ${info.options.join(', ')}` : info.kind === 'int' || info.kind === 'number' ? ` (${info.kind} in [${info.min}, ${info.max}])` : ''}`, name);
      }
    } else {
      if (info.kind !== 'number' && info.kind !== 'int') throw new ResearchConfigError(key, `${name} is not numeric; give it a list of values`, name);
      const { min, max } = range;
      if (!Number.isFinite(min) || !Number.isFinite(max)) throw new ResearchConfigError(key, `min and max must be finite numbers`, name);
      if (min > max) throw new ResearchConfigError(`${key}.min`, `min ${min} is greater than max ${max}`, name);
      if (min < info.min || max > info.max) throw new ResearchConfigError(key, `range [${min}, ${max}] leaves the allowed [${info.min}, ${info.max}] of ${name}`, name);
      if (range.step !== undefined && !(range.step > 0 && Number.isFinite(range.step))) throw new ResearchConfigError(`${key}.step`, `step must be a positive number, got ${range.step}`, name);
      const step = range.step ?? (info.kind === 'int' ? 1 : (max - min) / (DEFAULT_FLOAT_POINTS - 1) || 1);
      if (info.kind === 'int' && !Number.isInteger(step)) throw new ResearchConfigError(`${key}.step`, `${name} is an integer; step must be a whole number, got ${step}`, name);
      const count = Math.floor((max - min) / step + 1e-9) + 1;
      if (count > MAX_DIMENSION_VALUES) throw new ResearchConfigError(`${key}.step`, `${count} values is too many (max ${MAX_DIMENSION_VALUES})`, name);
      values = Array.from({ length: count }, (_, i) => Number((min + i * step).toPrecision(12)));
    }
    dimensions.push({ name, values });
  }
  const size = dimensions.reduce((n, d) => n * d.values.length, 1);
  return { strategyId: def.id, dimensions, fixed: { ...fixed }, size };
}

/** The parameter set at value indices `genome` (one index per dimension). */
export function pointAt(space: ParamSpace, genome: ArrayLike<number>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...space.fixed };
  space.dimensions.forEach((d, i) => {
    out[d.name] = d.values[genome[i] as number];
  });
  return out;
}

/** Whether a parameter set passes the strategy's schema (cross-field rules like fast < slow included). */
export function isValidPoint(def: StrategyDefinition, params: Readonly<Record<string, unknown>>): boolean {
  return def.params.safeParse(params).success;
}
