import { AGGREGATE_PARAMS_KEY, ConfigError, type KairosConfig, KairosConfigSchema, type StrategyRegistry, parseConfig } from '@kairos/core';
import { parseParams, parsePositive, parseSymbols, parseTimeframe } from './args';

export interface CommonFlags {
  strategy?: string;
  symbols?: string;
  timeframe?: string;
  param?: string[];
  /** Aggregate weights: `0.6,0.4` (in --strategy order) or `ma-cross=0.6,macd-trend=0.4`. */
  weights?: string;
  fraction?: string;
  balance?: string;
  /** Risk set: `default` (the protective set) or `none` (fixed-fraction sizing only). */
  risk?: string;
}

/**
 * Turns CLI flags into a validated config. Every error names the flag and, where the
 * set is closed, the allowed values.
 */
export function configFromFlags(flags: CommonFlags, mode: KairosConfig['mode'], strategies: StrategyRegistry, defaults: { symbols: string }): KairosConfig {
  const { id: strategyId, params } = strategyFromFlags(flags, strategies);
  const raw = {
    mode,
    symbols: parseSymbols(flags.symbols ?? defaults.symbols),
    timeframe: parseTimeframe(flags.timeframe),
    strategy: { id: strategyId, params },
    risk: { preset: parseRiskPreset(flags.risk), fraction: parsePositive(flags.fraction, '--fraction', 0.2) },
    simulation: { initialBalance: parsePositive(flags.balance, '--balance', 10_000) },
  };
  if (raw.risk.fraction > 1) throw new ConfigError('--fraction', `must be in (0, 1], got ${raw.risk.fraction}`);
  return parseConfig(KairosConfigSchema, raw);
}

const RISK_PRESETS = ['default', 'none'] as const;

function parseRiskPreset(raw: string | undefined): (typeof RISK_PRESETS)[number] {
  if (raw === undefined) return 'default';
  if (!(RISK_PRESETS as readonly string[]).includes(raw)) throw new ConfigError('--risk', `unknown risk set '${raw}'; allowed: ${RISK_PRESETS.join(', ')}`, { allowed: RISK_PRESETS });
  return raw as (typeof RISK_PRESETS)[number];
}

/**
 * `--strategy a[,b...]`, `--weights` and `--param` into a strategy id and params, checked
 * by building the strategy once. One strategy takes `--param fast=10` (or
 * `--param ma-cross.fast=10`); several take `--param <id>.<key>=v` per strategy and
 * `--param aggregate.<key>=v` for the aggregator. Errors name the flag and parameter.
 */
export function strategyFromFlags(flags: Pick<CommonFlags, 'strategy' | 'param' | 'weights'>, strategies: StrategyRegistry): { id: string; params: Record<string, unknown> } {
  if (flags.strategy === 'auto') {
    if (flags.param?.length || flags.weights !== undefined) throw new ConfigError(flags.param?.length ? '--param' : '--weights', "'auto' chooses strategies, weights and parameters itself");
    return { id: 'auto', params: {} };
  }
  const ids = (flags.strategy ?? 'ma-cross').split(',').map((x) => x.trim());
  for (const id of ids) {
    if (!strategies.ids().includes(id)) {
      throw new ConfigError('--strategy', `unknown strategy '${id}'; allowed: ${[...strategies.ids(), 'auto'].join(', ')}`, { allowed: [...strategies.ids(), 'auto'] });
    }
  }
  if (new Set(ids).size !== ids.length) throw new ConfigError('--strategy', `a strategy is listed twice in '${flags.strategy}'`);
  const flat = parseParams(flags.param);
  const single = ids.length === 1;
  if (single && flags.weights !== undefined) throw new ConfigError('--weights', 'only applies to several strategies (--strategy a,b)');
  const nested: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(flat)) {
    const dot = key.indexOf('.');
    const owner = dot > 0 ? key.slice(0, dot) : undefined;
    if (owner !== undefined && (ids.includes(owner) || owner === AGGREGATE_PARAMS_KEY)) {
      if (single && owner === AGGREGATE_PARAMS_KEY) throw new ConfigError(`--param ${key}`, 'aggregate settings need several strategies (--strategy a,b)');
      (nested[owner] ??= {})[key.slice(dot + 1)] = value;
    } else if (single) {
      (nested[ids[0] as string] ??= {})[key] = value;
    } else {
      throw new ConfigError(`--param ${key}`, `with several strategies, prefix the strategy id or '${AGGREGATE_PARAMS_KEY}' (e.g. ${ids[0]}.${key}=${String(value)}); allowed prefixes: ${[...ids, AGGREGATE_PARAMS_KEY].join(', ')}`);
    }
  }
  if (flags.weights !== undefined) (nested[AGGREGATE_PARAMS_KEY] ??= {}).weights = parseWeights(flags.weights, ids);
  const id = ids.join(',');
  const params: Record<string, unknown> = single ? (nested[id] ?? {}) : nested;
  try {
    strategies.create(id, params);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // 'strategy.<id>.<key>' / 'aggregate.<key>' → the flag a user typed.
    const path = err.key.startsWith('strategy.') ? err.key.slice('strategy.'.length) : err.key;
    const shown = single ? path.split('.').slice(1).join('.') : path;
    const flag = path.startsWith(`${AGGREGATE_PARAMS_KEY}.weights`) ? '--weights' : `--param ${shown}`.trim();
    throw new ConfigError(flag, err.message.slice(err.key.length + 2));
  }
  return { id, params };
}

/** `0.6,0.4` by position or `a=0.6,b=0.4` by id, into non-negative weights per strategy id. */
function parseWeights(raw: string, ids: readonly string[]): Record<string, number> {
  const parts = raw.split(',').map((x) => x.trim());
  const out: Record<string, number> = {};
  const named = parts.every((p) => p.includes('='));
  if (!named && parts.length !== ids.length) throw new ConfigError('--weights', `expected ${ids.length} weights (one per strategy: ${ids.join(', ')}), got ${parts.length}`);
  parts.forEach((p, i) => {
    const [name, value] = named ? (p.split('=') as [string, string]) : [ids[i] as string, p];
    const w = Number(value);
    if (!ids.includes(name)) throw new ConfigError('--weights', `'${name}' is not one of ${ids.join(', ')}`);
    if (value === '' || !Number.isFinite(w) || w < 0) throw new ConfigError('--weights', `weight of ${name} must be a number >= 0, got '${value}'`);
    out[name] = w;
  });
  return out;
}
