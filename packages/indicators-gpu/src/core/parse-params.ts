import type { z } from 'zod';
import { IndicatorError } from './indicator-error.js';

/**
 * Validate params with the indicator's zod schema, filling defaults. The
 * first issue becomes an IndicatorError naming the param, so a CLI or
 * config loader can point at the exact field.
 */
export function parseParams<P>(indicator: string, schema: z.ZodType<P>, params: unknown, check?: (p: P) => string | undefined): P {
  const res = schema.safeParse(params ?? {});
  if (!res.success) {
    const issue = res.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(params)';
    throw new IndicatorError('INDICATOR_BAD_PARAM', `${indicator}: param '${field}' ${issue?.message ?? 'is invalid'}`, field);
  }
  const problem = check?.(res.data);
  if (problem !== undefined) {
    const field = problem.split(' ')[0] ?? '(params)';
    throw new IndicatorError('INDICATOR_BAD_PARAM', `${indicator}: param ${problem}`, field.replace(/'/g, ''));
  }
  return res.data;
}
