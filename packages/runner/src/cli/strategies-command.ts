import { parseArgs } from 'node:util';
import { builtinStrategies, type StrategyDefinition } from '@kairos/core';
import { z } from 'zod';
import type { CommandIo } from './io';

export const STRATEGIES_USAGE = 'kairos strategies [--json]   lists strategies with their parameters (name, type, default, min, max)';

/** One parameter of a strategy, as optimizers and the CLI read it. */
export interface StrategyParamInfo {
  readonly name: string;
  readonly type: string;
  readonly default?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly unknown[];
  readonly description?: string;
}

interface JsonSchemaProp {
  type?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  description?: string;
}

/** Reads a strategy's zod schema into a flat parameter list. */
export function describeStrategyParams(def: StrategyDefinition): StrategyParamInfo[] {
  const schema = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchemaProp> };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const min = p.minimum ?? p.exclusiveMinimum;
    const max = p.maximum ?? p.exclusiveMaximum;
    return {
      name,
      type: p.enum ? 'enum' : (p.type ?? 'unknown'),
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(p.enum ? { values: p.enum } : {}),
      ...(p.description ? { description: p.description } : {}),
    };
  });
}

/** Lists the built-in strategies and their parameter schemas. */
export async function strategiesCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { json: { type: 'boolean', default: false } } });
  const list = builtinStrategies()
    .list()
    .map((def) => ({ id: def.id, description: def.description, params: describeStrategyParams(def) }));
  if (values.json) {
    io.out(JSON.stringify({ strategies: list }));
    return 0;
  }
  for (const s of list) {
    io.out(`${s.id} — ${s.description}`);
    for (const p of s.params) {
      const range = p.values ? ` one of ${p.values.join('|')}` : p.min !== undefined || p.max !== undefined ? ` [${p.min ?? ''}, ${p.max ?? ''}]` : '';
      io.out(`  ${p.name.padEnd(18)} ${p.type.padEnd(8)} default ${String(p.default)}${range}${p.description ? `  ${p.description}` : ''}`);
    }
  }
  io.out('');
  io.out('several at once: kairos backtest --strategy a,b --weights 0.6,0.4 --param a.<name>=v --param aggregate.entryThreshold=0.2');
  return 0;
}
