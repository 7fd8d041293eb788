import { ConfigError } from '../errors/kairos-error';
import type { Strategy } from '../ports/strategy';
import { type CompositeStrategy, type CompositeStrategyOptions, createCompositeStrategy } from '../signals/composite-strategy';
import { SignalAggregator } from '../signals/signal-aggregator';
import type { StrategyRegistry } from './strategy-definition';

/** Key of the aggregator's settings in an aggregate's params. */
export const AGGREGATE_PARAMS_KEY = 'aggregate';

/**
 * Builds several registered strategies voting through one {@link SignalAggregator}.
 * `params` is `{ <id>: {...strategy params}, aggregate: {...aggregator settings} }`;
 * errors name the parameter as `strategy.<id>.<key>` or `aggregate.<key>`.
 *
 * @example
 * createAggregateStrategy(builtinStrategies(), ['ma-cross', 'macd-trend'], {
 *   'ma-cross': { fast: 10, slow: 30 },
 *   aggregate: { weights: { 'ma-cross': 2 }, entryThreshold: 0.2 },
 * });
 */
export function createAggregateStrategy(registry: StrategyRegistry, ids: readonly string[], params: unknown = {}, options: CompositeStrategyOptions = {}): CompositeStrategy {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new ConfigError('strategy.params', 'expected an object keyed by strategy id');
  const raw = params as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key !== AGGREGATE_PARAMS_KEY && !ids.includes(key)) {
      throw new ConfigError(`strategy.${key}`, `not one of the aggregated strategies (${ids.join(', ')}) nor '${AGGREGATE_PARAMS_KEY}'`);
    }
  }
  const children: Strategy[] = ids.map((id) => registry.create(id, raw[id] ?? {}));
  const aggregator = new SignalAggregator(ids, (raw[AGGREGATE_PARAMS_KEY] ?? {}) as ConstructorParameters<typeof SignalAggregator>[1]);
  for (const w of Object.keys(aggregator.config.weights)) {
    if (!ids.includes(w)) throw new ConfigError(`aggregate.weights.${w}`, `not one of the aggregated strategies (${ids.join(', ')})`);
  }
  return createCompositeStrategy(children, aggregator, options);
}
