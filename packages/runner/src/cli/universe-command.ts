import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError } from '@kairos/core';
import { type RankedSymbol, type UniverseMemory, type UniverseResult, type UniverseSource, buildUniverse, createUniverseSource, parseUniverseConfig } from '@kairos/exchange';
import { parseSymbols } from './args';
import type { CommandIo } from './io';

export const UNIVERSE_USAGE = `kairos universe --exchange bybit [--quote USDT] [--config FILE.json] [--fallback BTC/USDT,ETH/USDT]
  [--url BASE_URL] [--json]`;

/** What the command needs from outside; tests replace it. */
export interface UniverseDeps {
  createSource(settings: { exchange: string; url?: string }): Promise<UniverseSource>;
  /** Where problems and the last tradable list are remembered; none by default. */
  readonly memory?: (exchange: string) => UniverseMemory;
  readonly now?: () => number;
}

const defaultDeps: UniverseDeps = { createSource: (s) => createUniverseSource(s) };

const pct = (x: number | undefined, digits = 3) => (x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`);

function formatRow(s: RankedSymbol): string {
  const m = s.metrics;
  const cols = [
    `#${s.rank}`.padEnd(4),
    s.symbol.padEnd(14),
    `last ${m.last}`.padEnd(18),
    `vol24h ${Math.round(m.quoteVolume).toLocaleString('en-US')}`.padEnd(24),
    `spread ${pct(m.spread)}`.padEnd(16),
    `vol ${pct(m.volatility, 2)}`.padEnd(12),
    `age ${m.ageDays ?? '-'}d`,
  ];
  return `  ${cols.join(' ')}${s.why.length > 0 ? `  (${s.why.join(', ')})` : ''}`;
}

/**
 * Builds the symbol universe of an exchange and prints the groups (top, memes, risky,
 * other) with each symbol's metrics, the rejections of the filter chain, and, when the
 * exchange cannot be reached, that the fallback list is used and why.
 */
export async function universeCommand(argv: string[], io: CommandIo, deps: UniverseDeps = defaultDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      exchange: { type: 'string' },
      quote: { type: 'string' },
      config: { type: 'string' },
      fallback: { type: 'string' },
      url: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const exchange = values.exchange;
  if (exchange === undefined || !/^[a-z0-9]+$/.test(exchange)) throw new ConfigError('--exchange', 'expected a ccxt exchange id like bybit');
  if (values.url !== undefined && !/^https?:\/\/[^\s]+$/.test(values.url)) throw new ConfigError('--url', `'${values.url}' is not an http(s) URL`);
  let raw: Record<string, unknown> = {};
  if (values.config !== undefined) {
    try {
      raw = JSON.parse(await readFile(values.config, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError('--config', `cannot read ${values.config} as JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (values.quote !== undefined) raw = { ...raw, quote: values.quote.toUpperCase() };
  if (values.fallback !== undefined) raw = { ...raw, fallbackSymbols: parseSymbols(values.fallback, '--fallback') };
  const config = parseUniverseConfig(raw);
  const source = await deps.createSource({ exchange, ...(values.url !== undefined ? { url: values.url } : {}) });
  const memory = deps.memory?.(exchange);
  const result: UniverseResult = await buildUniverse({ source, config, ...(memory ? { memory } : {}), ...(deps.now ? { now: deps.now } : {}) });

  if (values.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  if (result.source !== 'exchange') {
    io.err(`warning: ${exchange} cannot be reached (${result.fallbackReason ?? 'unknown error'}); using the ${result.source} list`);
    io.out(`${exchange} universe (${result.source} fallback): ${result.tradable.join(', ')}`);
    return 0;
  }
  io.out(`${exchange} universe: ${result.tradable.length} tradable of ${result.candidates} ${config.quote} spot markets`);
  for (const group of ['top', 'memes', 'risky', 'other'] as const) {
    const list = result.groups[group];
    io.out(`${group} (${list.length})`);
    for (const s of list) io.out(formatRow(s));
  }
  if (result.rejected.length > 0) {
    io.out(`rejected (${result.rejected.length})`);
    for (const r of result.rejected) io.out(`  ${r.symbol.padEnd(14)} ${r.filter}: ${r.reason}`);
  }
  for (const p of [...result.skipped, ...result.problems]) io.out(`  ${p.kind}: ${p.symbol}: ${p.reason} (until ${new Date(p.until).toISOString()})`);
  return 0;
}
