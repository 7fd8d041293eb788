import type { z } from 'zod';
import { ConfigError } from '../errors/kairos-error';
import type { Strategy } from '../ports/strategy';
import type { CompositeStrategyOptions } from '../signals/composite-strategy';
import { createAggregateStrategy } from './aggregate-strategy';

/**
 * A strategy's factory and the zod schema of its parameters (with ranges and defaults,
 * so optimizers and the CLI can read them).
 */
export interface StrategyDefinition<S extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly description: string;
  readonly params: S;
  create(params: z.infer<S>): Strategy;
}

/** Validates raw parameters against a definition; errors name the parameter. */
export function parseStrategyParams<S extends z.ZodType>(def: StrategyDefinition<S>, raw: unknown): z.infer<S> {
  const result = def.params.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue && issue.path.length > 0 ? issue.path.join('.') : '(params)';
  throw new ConfigError(`strategy.${def.id}.${key}`, issue?.message ?? 'invalid parameters');
}

/** Looks strategies up by id; the error for an unknown id lists the known ones. */
export class StrategyRegistry {
  private readonly defs = new Map<string, StrategyDefinition>();

  constructor(defs: readonly StrategyDefinition[] = []) {
    for (const d of defs) this.register(d);
  }

  register(def: StrategyDefinition): this {
    if (this.defs.has(def.id)) throw new ConfigError('strategy', `'${def.id}' is already registered`);
    this.defs.set(def.id, def);
    return this;
  }

  get(id: string): StrategyDefinition {
    const def = this.defs.get(id);
    if (!def) throw new ConfigError('strategy', `unknown strategy '${id}'; allowed: ${this.ids().join(', ')}`, { allowed: this.ids() });
    return def;
  }

  /**
   * Validates params and builds the strategy. A comma-separated id (`'ma-cross,macd-trend'`)
   * builds an aggregate of those strategies (see `createAggregateStrategy`), with params
   * keyed by strategy id plus `aggregate` for the aggregator.
   */
  create(id: string, params?: unknown, options?: CompositeStrategyOptions): Strategy {
    const ids = id.split(',').map((s) => s.trim());
    if (ids.length > 1) {
      for (const i of ids) this.get(i);
      return createAggregateStrategy(this, ids, params ?? {}, options);
    }
    const def = this.get(id);
    return def.create(parseStrategyParams(def, params));
  }

  ids(): string[] {
    return [...this.defs.keys()];
  }

  list(): StrategyDefinition[] {
    return [...this.defs.values()];
  }
}
