import { bollingerBreakoutDefinition } from './bollinger-breakout';
import { macdTrendDefinition } from './macd-trend';
import { maCrossDefinition } from './ma-cross';
import { rsiDivergenceDefinition } from './rsi-divergence';
import { StrategyRegistry } from './strategy-definition';

export * from './strategy-definition';
export * from './volatility';
export * from './ma-cross';
export * from './rsi-divergence';
export * from './bollinger-breakout';
export * from './macd-trend';
export * from './aggregate-strategy';
export * from './recommend-strategies';
export * from './series-signal-list';

/** A registry holding the built-in strategies. Each call returns a new one: no globals. */
export function builtinStrategies(): StrategyRegistry {
  return new StrategyRegistry([maCrossDefinition, rsiDivergenceDefinition, bollingerBreakoutDefinition, macdTrendDefinition]);
}
