import { ConfigError, type Timeframe, TIMEFRAMES, isTimeframe } from '@kairos/core';

/** Splits 'BTC/USDT,ETH/USDT' and checks each is BASE/QUOTE. */
export function parseSymbols(raw: string | undefined, key = '--symbols'): string[] {
  if (raw === undefined || raw.trim() === '') throw new ConfigError(key, 'expected a comma-separated list like BTC/USDT,ETH/USDT');
  const symbols = raw.split(',').map((s) => s.trim().toUpperCase());
  for (const s of symbols) {
    if (!/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/.test(s)) throw new ConfigError(key, `'${s}' is not a symbol like BTC/USDT`);
  }
  return [...new Set(symbols)];
}

export function parseTimeframe(raw: string | undefined, key = '--timeframe'): Timeframe {
  const v = raw ?? '1h';
  if (!isTimeframe(v)) throw new ConfigError(key, `'${v}' is not a timeframe; allowed: ${TIMEFRAMES.join(', ')}`, { allowed: TIMEFRAMES });
  return v;
}

/** Accepts ISO dates ('2024-03-01', '2024-03-01T12:00Z') and returns ms. */
export function parseDate(raw: string | undefined, key: string): number | undefined {
  if (raw === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw);
  const t = ok ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : Number.NaN;
  if (!Number.isFinite(t)) throw new ConfigError(key, `'${raw}' is not an ISO date like 2024-03-01 or 2024-03-01T12:00:00Z`);
  return t;
}

export function parsePositive(raw: string | undefined, key: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(key, `expected a positive number, got '${raw}'`);
  return n;
}

/** Parses repeated `--param key=value` into an object; numbers and booleans are typed. */
export function parseParams(raw: readonly string[] | undefined, key = '--param'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of raw ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigError(key, `expected name=value, got '${item}'`);
    const name = item.slice(0, eq);
    const value = item.slice(eq + 1);
    out[name] = value === 'true' ? true : value === 'false' ? false : value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return out;
}

/** parseArgs options that pick what a run trades: shared by backtest and the research commands. */
export const RUN_OPTIONS = {
  strategy: { type: 'string' },
  symbols: { type: 'string' },
  timeframe: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  data: { type: 'string' },
  param: { type: 'string', multiple: true },
  fraction: { type: 'string' },
  balance: { type: 'string' },
  results: { type: 'string' },
  json: { type: 'boolean', default: false },
  'max-jump': { type: 'string' },
} as const;

/**
 * `--max-jump N|off`: the largest move between consecutive candles a data file may hold
 * (default 100x; a larger one is an error naming file and line), or `off` to accept a
 * series whose jumps are known to be real.
 */
export function parseMaxJump(raw: string | undefined): { maxJump?: number; acceptJumps?: boolean } {
  if (raw === undefined) return {};
  if (raw === 'off') return { acceptJumps: true };
  const n = Number(raw);
  if (!(Number.isFinite(n) && n > 1)) throw new ConfigError('--max-jump', `expected a factor above 1 or 'off', got '${raw.slice(0, 40)}'`);
  return { maxJump: n };
}
