import { ConfigError } from '@kairos/core';
import { z } from 'zod';

/** Plain settings of a `CcxtExchange` (what a config file holds). */
export const ccxtExchangeConfigSchema = z.object({
  /** Any ccxt exchange id: 'bybit', 'mexc', 'binance', 'okx', ... */
  exchangeId: z.string().regex(/^[a-z0-9]+$/, 'a lower-case ccxt exchange id'),
  credentials: z
    .object({
      apiKey: z.string().min(1),
      secret: z.string().min(1),
      /** OKX and a few others need a passphrase. */
      password: z.string().min(1).optional(),
    })
    .optional(),
  /** Use the venue's testnet (where it has one). */
  sandbox: z.boolean().default(false),
  /** Replaces every entry of ccxt's `urls.api` (tests, proxies). */
  apiUrl: z.string().url().optional(),
  /** Per-request timeout (ms). */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Log ccxt's request/response traces at debug level, with credentials redacted. */
  verbose: z.boolean().default(false),
  /** Extra ccxt `options` (merged over the venue profile's). */
  ccxtOptions: z.record(z.string(), z.unknown()).default({}),
  retry: z
    .object({
      /** Attempts of a safe call, the first included. */
      maxAttempts: z.number().int().min(1).max(20).default(5),
      baseDelayMs: z.number().int().nonnegative().default(500),
      maxDelayMs: z.number().int().positive().default(30_000),
      jitter: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
  unknownOutcome: z
    .object({
      /**
       * How long to keep looking for an order whose creation failed ambiguously before
       * concluding it does not exist. Must exceed the venue's worst propagation lag.
       */
      resolveWindowMs: z.number().int().positive().default(60_000),
      /** First wait between lookups (ms); doubles up to 10 s. */
      pollDelayMs: z.number().int().positive().default(1_000),
    })
    .prefault({}),
  /**
   * For this long after creation, "order not found" is read as "not visible yet": the
   * last known state is returned instead of an error.
   */
  visibilityGraceMs: z.number().int().nonnegative().default(60_000),
  /** Rate budget override (units per window); defaults to the venue profile's. */
  rateLimit: z.object({ limit: z.number().positive(), windowMs: z.number().int().positive() }).optional(),
});

export type CcxtExchangeConfig = z.input<typeof ccxtExchangeConfigSchema>;
export type ResolvedCcxtExchangeConfig = z.output<typeof ccxtExchangeConfigSchema>;

/** Parses the config; a bad value fails with a `ConfigError` naming its key. */
export function parseCcxtExchangeConfig(input: CcxtExchangeConfig): ResolvedCcxtExchangeConfig {
  const parsed = ccxtExchangeConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Never echo the value: it may be a credential.
    throw new ConfigError(`exchange.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid value');
  }
  return parsed.data;
}
