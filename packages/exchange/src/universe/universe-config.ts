import { parseConfig } from '@kairos/core';
import { z } from 'zod';

const symbolSchema = z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, 'expected BASE/QUOTE in capitals, e.g. BTC/USDT');

/**
 * One step of the filter chain. Steps run in the order given; a symbol leaves the chain
 * at the first step it fails, with that step's reason.
 */
export const symbolFilterSchema = z.discriminatedUnion('kind', [
  /** 24h traded value in the quote currency at least `min`. */
  z.object({ kind: z.literal('minQuoteVolume'), min: z.number().nonnegative() }),
  /** Spread `1 − bid/ask` at most `max` (0.005 = 0.5%). */
  z.object({ kind: z.literal('maxSpread'), max: z.number().min(0).max(1) }),
  /**
   * Last price within [`min`, `max`], and one price step at most `lowPriceRatio` of the
   * price (a coarse tick makes exits and stops jump).
   */
  z.object({ kind: z.literal('price'), min: z.number().nonnegative().optional(), max: z.number().positive().optional(), lowPriceRatio: z.number().positive().optional() }),
  /** Listed for at least `days` daily candles. */
  z.object({ kind: z.literal('minAge'), days: z.number().int().positive() }),
  /** Daily volatility (standard deviation of daily log returns over `days`) within [`min`, `max`]. */
  z.object({ kind: z.literal('volatility'), days: z.number().int().min(2).default(14), min: z.number().nonnegative().optional(), max: z.number().positive().optional() }),
]);
export type SymbolFilterConfig = z.infer<typeof symbolFilterSchema>;

/** Coins traded mostly on attention; kept up to date here, overridable in config. */
export const DEFAULT_MEME_COINS = ['DOGE', 'SHIB', 'PEPE', 'FLOKI', 'BONK', 'WIF', 'BOME', 'MEME', 'DOGS', 'NOT', 'TURBO', 'BRETT', 'POPCAT', 'MEW', 'NEIRO', 'PNUT', 'TRUMP', 'FARTCOIN', 'BABYDOGE', '1000SATS'] as const;

/** Settings of the symbol universe: candidates, filter chain, groups, memory and fallback. */
export const universeConfigSchema = z.object({
  /** Only markets quoted in this currency are candidates. */
  quote: z.string().regex(/^[A-Z0-9]{2,10}$/).default('USDT'),
  filters: z.array(symbolFilterSchema).default([
    { kind: 'minQuoteVolume', min: 1_000_000 },
    { kind: 'maxSpread', max: 0.005 },
    { kind: 'price', min: 0.000_000_1, lowPriceRatio: 0.002 },
    { kind: 'minAge', days: 30 },
    { kind: 'volatility', days: 14, max: 0.25 },
  ]),
  /** Keep at most this many tradable symbols, the most liquid first. */
  maxSymbols: z.number().int().positive().default(50),
  groups: z
    .object({
      top: z.object({ count: z.number().int().nonnegative().default(10) }).prefault({}),
      memes: z
        .object({
          coins: z.array(z.string()).default([...DEFAULT_MEME_COINS]),
          /** Rule for coins not on the list: unit price below this ... */
          maxPrice: z.number().positive().default(0.01),
          /** ... and daily volatility above this. */
          minVolatility: z.number().nonnegative().default(0.06),
        })
        .prefault({}),
      risky: z
        .object({
          /** Thin book: 24h quote volume under this. */
          minQuoteVolume: z.number().nonnegative().default(5_000_000),
          /** Wide spread: above this. */
          maxSpread: z.number().min(0).max(1).default(0.002),
          /** New listing: fewer daily candles than this. */
          newListingDays: z.number().int().nonnegative().default(60),
          /** Extreme volatility: daily volatility above this. */
          maxVolatility: z.number().positive().default(0.1),
        })
        .prefault({}),
    })
    .prefault({}),
  /** How long a problematic or unsupported symbol is skipped (ms). */
  problemTtlMs: z.number().int().positive().default(6 * 3_600_000),
  /** How long the last tradable list is kept in the store (ms). */
  tradableTtlMs: z.number().int().positive().default(7 * 86_400_000),
  /** Used when the exchange cannot be reached and no tradable list is remembered. */
  fallbackSymbols: z.array(symbolSchema).min(1).default(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'DOGE/USDT']),
});
export type UniverseConfig = z.output<typeof universeConfigSchema>;
export type UniverseConfigInput = z.input<typeof universeConfigSchema>;

/** Validates universe settings; a bad value is a `ConfigError` naming `universe.<key>`. */
export function parseUniverseConfig(raw: unknown = {}): UniverseConfig {
  return parseConfig(universeConfigSchema, raw, 'universe');
}
