import { z } from 'zod';
import { TIMEFRAMES } from '../domain/candle';
import { ConfigError } from '../errors/kairos-error';

const SymbolSchema = z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, 'expected BASE/QUOTE in capitals, e.g. BTC/USDT');

/** Fees and fill model of the simulated exchange. */
export const SimulationConfigSchema = z.object({
  initialBalance: z.number().positive().default(10_000),
  makerFee: z.number().min(0).max(0.05).default(0.001),
  takerFee: z.number().min(0).max(0.05).default(0.001),
  /** Slippage of market orders, in basis points of the price. */
  slippageBps: z.number().min(0).max(500).default(5),
  /** Largest share of a candle's volume one order may take. */
  volumeParticipation: z.number().gt(0).max(1).default(0.1),
});

/** The configuration of one Kairos run or bot. */
export const KairosConfigSchema = z.object({
  mode: z.enum(['backtest', 'paper', 'live']).default('paper'),
  userId: z.string().min(1).default('paper'),
  quote: z.string().regex(/^[A-Z0-9]{2,10}$/).default('USDT'),
  symbols: z.array(SymbolSchema).min(1).default(['BTC/USDT', 'ETH/USDT']),
  timeframe: z.enum(TIMEFRAMES).default('1h'),
  strategy: z
    .object({ id: z.string().min(1).default('ma-cross'), params: z.record(z.string(), z.unknown()).default({}) })
    .default({ id: 'ma-cross', params: {} }),
  /**
   * Risk set. `preset` and `fraction` are read here; every other section (stopLoss,
   * limits, protections...) passes through to the risk package, which validates it.
   */
  risk: z
    .looseObject({
      preset: z.enum(['default', 'none']).default('default'),
      /** Fraction of equity committed to each new position (the cap, with the default set). */
      fraction: z.number().gt(0).max(1).default(0.2),
    })
    .default({ preset: 'default', fraction: 0.2 }),
  simulation: SimulationConfigSchema.default(SimulationConfigSchema.parse({})),
});

export type KairosConfig = z.infer<typeof KairosConfigSchema>;
export type SimulationConfig = z.infer<typeof SimulationConfigSchema>;

/**
 * Parses a schema and turns the first problem into a `ConfigError` that names the key
 * (dotted path under `prefix`) and, for enums, the allowed values.
 */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const key = [prefix, path].filter(Boolean).join('.') || '(config)';
  const allowed = issue && 'values' in issue ? (issue.values as unknown[]) : undefined;
  throw new ConfigError(key, issue?.message ?? 'invalid value', allowed ? { allowed } : {});
}
