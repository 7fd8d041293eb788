import { z } from 'zod';
import { CorrelationCapConfig } from './correlation/correlation-cap';
import { DepositConfig } from './deposit/deposit-manager';
import { ExitRulesConfig } from './exits/exit-rules';
import { PartialCloseConfig } from './exits/partial-close-ladder';
import { ExposureLimitsConfig } from './limits/exposure-limits';
import { OrderRateLimitConfig } from './limits/order-rate-limit';
import { MarketMemoryConfig } from './market/market-memory';
import { CooldownPeriodConfig } from './protections/cooldown-period';
import { DailyLossLimitConfig } from './protections/daily-loss-limit';
import { KillSwitchConfig } from './protections/kill-switch';
import { LowProfitPairsConfig } from './protections/low-profit-pairs';
import { MaxDrawdownConfig } from './protections/max-drawdown';
import { StoplossGuardConfig } from './protections/stoploss-guard';

/** Policy ids a risk chain may name, in the order the default set chains them. */
export const RISK_POLICY_IDS = [
  'kill-switch',
  'max-drawdown',
  'daily-loss-limit',
  'stoploss-guard',
  'cooldown-period',
  'low-profit-pairs',
  'order-rate-limit',
  'sizing',
  'deposit',
  'exposure-limits',
  'correlation-cap',
  'exit-rules',
  'partial-close',
] as const;
export type RiskPolicyId = (typeof RISK_POLICY_IDS)[number];

/**
 * Sizing: `method` picks one; the other fields are that method's config, validated by
 * the method itself (so their defaults do not hide `fraction` or the stop-loss).
 */
export const SizingConfig = z.looseObject({
  method: z.enum(['fixed-fraction', 'fixed-risk', 'volatility-target', 'kelly']),
});
export type SizingConfig = z.infer<typeof SizingConfig>;

const exitShape = ExitRulesConfig.shape;

/**
 * Configuration of a risk set, as it sits under `risk` in the Kairos config. Sections
 * left out take the preset's values; a section given replaces the preset's. The exit
 * fields (stopLoss … minimalRoi) are one group: give any and the preset's group is
 * replaced as a whole.
 */
export const RiskConfigSchema = z.object({
  /** 'default': the protective set for 1h crypto candles; 'none': fixed-fraction sizing only. */
  preset: z.enum(['default', 'none']).default('default'),
  /** The chain, in order; omitted = the preset's. */
  policies: z.array(z.enum(RISK_POLICY_IDS)).min(1).optional(),
  /** Share of equity per position for 'none', and the largest position of the default sizing. */
  fraction: z.number().gt(0).max(1).default(0.2),
  sizing: SizingConfig.optional(),
  stopLoss: exitShape.stopLoss,
  takeProfit: exitShape.takeProfit,
  trailingStop: exitShape.trailingStop,
  breakEven: exitShape.breakEven,
  timeExit: exitShape.timeExit,
  minimalRoi: exitShape.minimalRoi,
  partialCloses: PartialCloseConfig.optional(),
  limits: ExposureLimitsConfig.partial().optional(),
  rateLimits: OrderRateLimitConfig.partial().optional(),
  protections: z
    .object({
      stoplossGuard: StoplossGuardConfig.partial().optional(),
      maxDrawdown: MaxDrawdownConfig.optional(),
      cooldown: CooldownPeriodConfig.partial().optional(),
      lowProfitPairs: LowProfitPairsConfig.partial().optional(),
      dailyLoss: DailyLossLimitConfig.partial().optional(),
      killSwitch: KillSwitchConfig.partial().optional(),
    })
    .optional(),
  correlation: CorrelationCapConfig.partial().optional(),
  deposit: DepositConfig.partial().optional(),
  market: MarketMemoryConfig.partial().optional(),
});
export type RiskConfigInput = z.input<typeof RiskConfigSchema>;
export type RiskConfig = z.infer<typeof RiskConfigSchema>;
