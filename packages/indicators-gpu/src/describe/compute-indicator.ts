import type { KernelIndicator } from '../core/define-indicator.js';
import { builtInRegistry, type IndicatorRegistry } from '../core/registry.js';
import type { SeriesInputs } from '../core/types.js';

/** What `kairos indicators compute` prints: resolved params, warm-up and the output columns. */
export interface ComputeSummary {
  readonly name: string;
  readonly params: Record<string, unknown>;
  readonly warmup: number;
  readonly length: number;
  readonly outputs: Record<string, Float64Array>;
}

/**
 * Parse loosely typed params (e.g. CLI strings '20', 'true') against the
 * indicator's schema, then compute. Throws IndicatorError naming the bad
 * param or input.
 */
export function computeIndicator(
  name: string,
  inputs: SeriesInputs,
  params: Record<string, unknown> = {},
  registry: IndicatorRegistry = builtInRegistry,
): ComputeSummary {
  const ind: KernelIndicator = registry.get(name);
  const p = ind.parseParams(coerceParams(params) as never);
  const outputs = ind.batch(inputs, p);
  return { name: ind.spec.name, params: { ...p }, warmup: ind.spec.warmup(p), length: outputs[ind.spec.outputs[0]!]!.length, outputs };
}

/** '20' -> 20, 'true' -> true; anything else unchanged (zod then reports what is wrong). */
export function coerceParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string') out[k] = v;
    else if (v === 'true' || v === 'false') out[k] = v === 'true';
    else if (v.trim() !== '' && Number.isFinite(Number(v))) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}
