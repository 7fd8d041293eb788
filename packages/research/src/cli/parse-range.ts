import type { ParamRange } from '../optimize/param-space';
import { ResearchConfigError } from '../optimize/research-error';

function scalar(v: string): number | string | boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : v;
}

/**
 * Parses repeated `--range` flags: `name=min:max` or `name=min:max:step` for numbers,
 * `name=a,b,c` for a list (enums, booleans, chosen numbers).
 */
export function parseRanges(raw: readonly string[] | undefined, key = '--range'): Record<string, ParamRange> {
  const out: Record<string, ParamRange> = {};
  for (const item of raw ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ResearchConfigError(key, `expected name=min:max[:step] or name=a,b,c, got '${item}'`);
    const name = item.slice(0, eq);
    const spec = item.slice(eq + 1);
    if (spec.includes(':')) {
      const parts = spec.split(':').map(Number);
      if (parts.length < 2 || parts.length > 3 || parts.some((p) => !Number.isFinite(p))) {
        throw new ResearchConfigError(`${key} ${name}`, `expected min:max[:step] with numbers, got '${spec}'`, name);
      }
      out[name] = parts.length === 3 ? { min: parts[0] as number, max: parts[1] as number, step: parts[2] as number } : { min: parts[0] as number, max: parts[1] as number };
    } else {
      out[name] = { values: spec.split(',').map((s) => scalar(s.trim())) };
    }
  }
  return out;
}
