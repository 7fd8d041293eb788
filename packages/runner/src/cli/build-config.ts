import { ConfigError, type KairosConfig, KairosConfigSchema, type StrategyRegistry, parseConfig, parseStrategyParams } from '@kairos/core';
import { parseParams, parsePositive, parseSymbols, parseTimeframe } from './args';

export interface CommonFlags {
  strategy?: string;
  symbols?: string;
  timeframe?: string;
  param?: string[];
  fraction?: string;
  balance?: string;
}

/**
 * Turns CLI flags into a validated config. Every error names the flag and, where the
 * set is closed, the allowed values.
 */
export function configFromFlags(flags: CommonFlags, mode: KairosConfig['mode'], strategies: StrategyRegistry, defaults: { symbols: string }): KairosConfig {
  const strategyId = flags.strategy ?? 'ma-cross';
  let def;
  try {
    def = strategies.get(strategyId);
  } catch {
    throw new ConfigError('--strategy', `unknown strategy '${strategyId}'; allowed: ${strategies.ids().join(', ')}`, { allowed: strategies.ids() });
  }
  const params = parseParams(flags.param);
  try {
    parseStrategyParams(def, params);
  } catch (err) {
    const e = err as ConfigError;
    throw new ConfigError(`--param ${e.key.split('.').slice(2).join('.') || ''}`.trim(), e.message.slice(e.key.length + 2));
  }
  const raw = {
    mode,
    symbols: parseSymbols(flags.symbols ?? defaults.symbols),
    timeframe: parseTimeframe(flags.timeframe),
    strategy: { id: strategyId, params },
    risk: { fraction: parsePositive(flags.fraction, '--fraction', 0.2) },
    simulation: { initialBalance: parsePositive(flags.balance, '--balance', 10_000) },
  };
  if (raw.risk.fraction > 1) throw new ConfigError('--fraction', `must be in (0, 1], got ${raw.risk.fraction}`);
  return parseConfig(KairosConfigSchema, raw);
}
