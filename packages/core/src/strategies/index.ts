import { maCrossDefinition } from './ma-cross';
import { StrategyRegistry } from './strategy-definition';

export * from './strategy-definition';
export * from './ma-cross';

/** A registry holding the built-in strategies. Each call returns a new one: no globals. */
export function builtinStrategies(): StrategyRegistry {
  return new StrategyRegistry([maCrossDefinition]);
}
