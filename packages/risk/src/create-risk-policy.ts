import { ConfigError, type ExchangeAdapter, type Logger, MemoryTradeStore, parseConfig } from '@kairos/core';
import { CompositeRiskPolicy } from './composite-risk-policy';
import { CorrelationCap } from './correlation/correlation-cap';
import type { RiskPart } from './decision';
import { DepositManager } from './deposit/deposit-manager';
import { DepositRules } from './deposit/deposit-rules';
import { ExitRules, type ExitRulesConfig } from './exits/exit-rules';
import { PartialCloseLadder } from './exits/partial-close-ladder';
import { ExposureLimits } from './limits/exposure-limits';
import { OrderRateLimit } from './limits/order-rate-limit';
import { MarketMemory } from './market/market-memory';
import { CooldownPeriod } from './protections/cooldown-period';
import { DailyLossLimit } from './protections/daily-loss-limit';
import { KillSwitch } from './protections/kill-switch';
import { LowProfitPairs } from './protections/low-profit-pairs';
import { MaxDrawdown } from './protections/max-drawdown';
import type { ProtectionDeps } from './protections/protection-deps';
import { StoplossGuard } from './protections/stoploss-guard';
import { type RiskConfig, type RiskConfigInput, RiskConfigSchema, type RiskPolicyId, type SizingConfig } from './risk-config';
import { FixedFractionSizing } from './sizing/fixed-fraction-sizing';
import { FixedRiskSizing } from './sizing/fixed-risk-sizing';
import { KellySizing } from './sizing/kelly-sizing';
import { VolatilityTargetSizing } from './sizing/volatility-target-sizing';

/** What a risk set is built over. Everything is optional for a backtest. */
export interface RiskDeps {
  readonly userId?: string;
  /** Where locks and breaker states persist (default: a fresh memory store). */
  readonly store?: ProtectionDeps['store'];
  readonly clock?: ProtectionDeps['clock'];
  readonly logger?: Logger;
  /** Balance source for deposit rules. */
  readonly balances?: Pick<ExchangeAdapter, 'fetchBalance'>;
  readonly quote?: string;
}

/** The exit group of the default set: volatility-adjusted stop with a percent fallback, and a trailing stop once in profit. */
export const DEFAULT_EXITS: ExitRulesConfig = {
  stopLoss: { atrMultiple: 3, percent: 5 },
  trailingStop: { atrMultiple: 4, activationPercent: 3 },
};

/**
 * Sizing of the default set: volatility targeting on ATR, so one candle's typical move
 * of a position is worth about 0.1% of equity, never above `fraction` of equity. On the
 * bundled 1h data this roughly halves drawdowns on volatile alts and trims BTC's.
 */
export const DEFAULT_SIZING: SizingConfig = { method: 'volatility-target', measure: 'atr', targetVolatility: 0.001 };

const DEFAULT_CHAIN: readonly RiskPolicyId[] = [
  'kill-switch',
  'max-drawdown',
  'daily-loss-limit',
  'stoploss-guard',
  'cooldown-period',
  'order-rate-limit',
  'sizing',
  'exposure-limits',
  'correlation-cap',
  'exit-rules',
];

const EXIT_KEYS = ['stopLoss', 'takeProfit', 'trailingStop', 'breakEven', 'timeExit', 'minimalRoi'] as const;

/** The chain a parsed config asks for. */
export function riskChain(cfg: RiskConfig): RiskPolicyId[] {
  if (cfg.policies) return [...cfg.policies];
  if (cfg.preset === 'none') return ['sizing'];
  const chain = [...DEFAULT_CHAIN];
  // Sections that only make sense when asked for join the default chain when given.
  if (cfg.deposit) chain.splice(chain.indexOf('sizing') + 1, 0, 'deposit');
  if (cfg.partialCloses) chain.push('partial-close');
  if (cfg.protections?.lowProfitPairs) chain.splice(chain.indexOf('cooldown-period') + 1, 0, 'low-profit-pairs');
  return chain;
}

function checkChain(chain: readonly RiskPolicyId[]): void {
  const seen = new Set<string>();
  chain.forEach((id, i) => {
    if (seen.has(id)) throw new ConfigError(`risk.policies.${i}`, `policy '${id}' is listed twice`);
    seen.add(id);
  });
  const sizing = chain.indexOf('sizing');
  if (sizing < 0) throw new ConfigError('risk.policies', "must include 'sizing': without it no entry has an amount");
  for (const id of ['deposit', 'exposure-limits', 'correlation-cap'] as const) {
    const i = chain.indexOf(id);
    if (i >= 0 && i < sizing) throw new ConfigError(`risk.policies.${i}`, `'${id}' checks the amount, so it must come after 'sizing'`);
  }
}

/**
 * Builds a risk set from config: `preset: 'default'` (the protective set for 1h crypto
 * candles) or `'none'` (fixed-fraction sizing only, for comparison). Bad values throw
 * `ConfigError` naming the key, e.g. `risk.stopLoss.percent`. Call `start()` on the
 * result before the first candle to restore persisted locks and breaker states.
 */
export function createRiskPolicy(raw: RiskConfigInput | undefined, deps: RiskDeps = {}): CompositeRiskPolicy {
  const cfg = parseConfig(RiskConfigSchema, raw ?? {}, 'risk');
  const chain = riskChain(cfg);
  checkChain(chain);
  const pdeps: ProtectionDeps = {
    store: deps.store ?? new MemoryTradeStore(deps.clock ?? { now: () => Date.now() }),
    userId: deps.userId ?? 'default',
    clock: deps.clock ?? { now: () => Date.now() },
    ...(deps.logger ? { logger: deps.logger } : {}),
  };
  const market = new MarketMemory(cfg.market ?? {});
  const userExits = EXIT_KEYS.some((k) => cfg[k] !== undefined);
  const exits: ExitRulesConfig = userExits
    ? Object.fromEntries(EXIT_KEYS.filter((k) => cfg[k] !== undefined).map((k) => [k, cfg[k]]))
    : cfg.preset === 'default'
      ? DEFAULT_EXITS
      : {};
  const prot = cfg.protections ?? {};

  const build = (id: RiskPolicyId): RiskPart => {
    switch (id) {
      case 'kill-switch':
        return new KillSwitch(prot.killSwitch ?? {}, pdeps);
      case 'max-drawdown':
        return new MaxDrawdown(prot.maxDrawdown ?? {}, pdeps);
      case 'daily-loss-limit':
        return new DailyLossLimit(prot.dailyLoss ?? {}, pdeps);
      case 'stoploss-guard':
        return new StoplossGuard(prot.stoplossGuard ?? {}, pdeps);
      case 'cooldown-period':
        return new CooldownPeriod(prot.cooldown ?? {}, pdeps);
      case 'low-profit-pairs':
        return new LowProfitPairs(prot.lowProfitPairs ?? {}, pdeps);
      case 'order-rate-limit':
        return new OrderRateLimit(cfg.rateLimits ?? {}, 'risk.rateLimits');
      case 'sizing':
        return buildSizing(cfg, exits, market);
      case 'deposit': {
        const ddeps = { ...pdeps, quote: deps.quote ?? 'USDT', ...(deps.balances ? { balances: deps.balances } : {}) };
        return new DepositRules(new DepositManager(cfg.deposit ?? {}, ddeps), ddeps);
      }
      case 'exposure-limits':
        return new ExposureLimits(cfg.limits ?? {});
      case 'correlation-cap':
        return new CorrelationCap(cfg.correlation ?? {}, market);
      case 'exit-rules':
        return new ExitRules(exits, market, 'risk');
      case 'partial-close':
        if (!cfg.partialCloses) throw new ConfigError('risk.partialCloses', "'partial-close' is in the chain but no ladder is configured");
        return new PartialCloseLadder(cfg.partialCloses, market);
    }
  };
  return new CompositeRiskPolicy(chain.map(build), { id: `risk:${cfg.policies ? 'custom' : cfg.preset}`, observers: [market] });
}

function buildSizing(cfg: RiskConfig, exits: ExitRulesConfig, market: MarketMemory): RiskPart {
  const s: SizingConfig = cfg.sizing ?? (cfg.preset === 'none' ? { method: 'fixed-fraction' } : DEFAULT_SIZING);
  const { method, ...rest } = s;
  switch (method) {
    case 'fixed-fraction':
      return new FixedFractionSizing({ fraction: cfg.fraction, ...rest }, 'risk.sizing');
    case 'fixed-risk':
      // Size from the stop that will really be used, unless sizing names its own.
      return new FixedRiskSizing({ maxFraction: cfg.fraction, ...(exits.stopLoss ? { stop: exits.stopLoss } : {}), ...rest }, market, 'risk.sizing');
    case 'volatility-target':
      return new VolatilityTargetSizing({ maxFraction: cfg.fraction, ...rest }, market, 'risk.sizing');
    case 'kelly':
      return new KellySizing({ cap: cfg.fraction, ...rest }, 'risk.sizing');
  }
}
