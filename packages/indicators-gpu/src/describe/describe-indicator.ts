import { z } from 'zod';
import type { IndicatorSpec } from '../core/types.js';
import { builtInRegistry, type IndicatorRegistry } from '../core/registry.js';

/** One parameter, as plain JSON. */
export interface ParamDescription {
  readonly name: string;
  readonly type: 'integer' | 'number' | 'boolean' | 'string';
  readonly default?: number | boolean | string;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** An indicator as plain JSON (for `kairos indicators list` and docs). */
export interface IndicatorDescription {
  readonly name: string;
  readonly title: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly parameters: readonly ParamDescription[];
  /** Warm-up (leading NaN outputs) with the default parameters. */
  readonly warmup: number;
  /** Conventions (seeding, smoothing, sample vs population) where they matter. */
  readonly notes?: string;
}

/** Plain-JSON description of a spec: names, inputs, params with defaults and ranges, outputs, warm-up at defaults. */
export function describeIndicator(spec: IndicatorSpec, notes?: string): IndicatorDescription {
  const schema = z.toJSONSchema(spec.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string; default?: unknown; minimum?: number; maximum?: number }>;
  };
  const parameters = Object.entries(schema.properties ?? {}).map(([name, s]) => {
    const d: { -readonly [K in keyof ParamDescription]: ParamDescription[K] } = {
      name,
      type: (s.type as ParamDescription['type']) ?? 'number',
    };
    if (s.default !== undefined) d.default = s.default as number | boolean | string;
    if (s.minimum !== undefined) d.minimum = s.minimum;
    if (s.maximum !== undefined) d.maximum = s.maximum;
    return d;
  });
  const defaults = spec.params.parse({});
  return {
    name: spec.name,
    title: spec.title,
    inputs: [...spec.inputs],
    outputs: [...spec.outputs],
    parameters,
    warmup: spec.warmup(defaults),
    ...(notes ? { notes } : {}),
  };
}

/** Every indicator of a registry (default: the built-ins) as plain JSON. */
export function describeIndicators(registry: IndicatorRegistry = builtInRegistry): IndicatorDescription[] {
  return registry.all().map((ind) => describeIndicator(ind.spec, ind.notes));
}
