import type { Candle } from '@kairos/core';
import { type FilterRejection, applyFilters } from './apply-filters';
import { type RankedSymbol, type UniverseGroup, classifySymbols, rankByLiquidity } from './classify-symbols';
import { type SymbolMetrics, measureSymbol } from './symbol-metrics';
import type { UniverseConfig } from './universe-config';
import type { SymbolProblem, UniverseMemory } from './universe-memory';
import type { UniverseMarket, UniverseSource } from './universe-source';

const CANDLE_FILTERS = new Set(['minAge', 'volatility']);

export interface BuildUniverseOptions {
  readonly source: UniverseSource;
  readonly config: UniverseConfig;
  /** Where problems and the last tradable list are remembered; omitted = no memory. */
  readonly memory?: UniverseMemory;
  readonly now?: () => number;
}

/** A market dropped before the filter chain (not spot, inactive, other quote) is not listed. */
export interface UniverseResult {
  readonly exchange: string;
  readonly time: number;
  /** 'exchange' when measured live; otherwise the fallback that was used. */
  readonly source: 'exchange' | 'remembered' | 'configured';
  /** Why the exchange could not be used (only for fallbacks). */
  readonly fallbackReason?: string;
  /** Tradable symbols, most liquid first (fallbacks: in the remembered/configured order). */
  readonly tradable: readonly string[];
  /** Tradable symbols by group with their metrics; empty on a fallback (nothing was measured). */
  readonly groups: Readonly<Record<UniverseGroup, readonly RankedSymbol[]>>;
  /** Spot markets in the quote currency that were considered. */
  readonly candidates: number;
  readonly rejected: readonly FilterRejection[];
  /** Skipped because remembered as problematic or unsupported. */
  readonly skipped: readonly SymbolProblem[];
  /** Problems found in this run (remembered for `problemTtlMs`). */
  readonly problems: readonly SymbolProblem[];
}

const emptyGroups = (): Record<UniverseGroup, RankedSymbol[]> => ({ top: [], memes: [], risky: [], other: [] });

/**
 * Builds the symbol universe: the venue's spot, active markets in the quote currency,
 * minus remembered problem symbols, measured from tickers (and daily candles where the
 * chain needs them), filtered by the configured chain, ranked by liquidity, cut to
 * `maxSymbols` and classified into top / memes / risky / other. When the exchange
 * cannot be reached it falls back to the remembered tradable list, else the configured
 * list, and says so in `source` and `fallbackReason`.
 */
export async function buildUniverse(options: BuildUniverseOptions): Promise<UniverseResult> {
  const { source, config, memory } = options;
  const now = (options.now ?? Date.now)();
  let markets: readonly UniverseMarket[];
  let tickers: Awaited<ReturnType<UniverseSource['fetchTickers']>>;
  const remembered = (await memory?.problems()) ?? new Map<string, SymbolProblem>();
  const skipped: SymbolProblem[] = [];
  let candidates: UniverseMarket[];
  try {
    markets = await source.loadMarkets();
    candidates = markets.filter((m) => m.spot && m.active && m.quote === config.quote);
    candidates = candidates.filter((m) => {
      const p = remembered.get(m.symbol);
      if (p) skipped.push(p);
      return !p;
    });
    tickers = candidates.length > 0 ? await source.fetchTickers(candidates.map((m) => m.symbol)) : {};
  } catch (err) {
    return fallback(options, now, err, memory);
  }

  const problems: Array<Omit<SymbolProblem, 'until'>> = [];
  const measured: Array<{ symbol: string; base: string; market: UniverseMarket; metrics: SymbolMetrics }> = [];
  const volatilityDays = config.filters.find((f) => f.kind === 'volatility')?.days ?? 14;
  for (const market of candidates) {
    const ticker = tickers[market.symbol];
    if (!ticker || !(ticker.last > 0)) problems.push({ symbol: market.symbol, kind: 'problematic', reason: 'no usable ticker' });
    else if (!(market.priceStep > 0)) problems.push({ symbol: market.symbol, kind: 'unsupported', reason: 'market has no price step' });
    else measured.push({ symbol: market.symbol, base: market.base, market, metrics: measureSymbol(market, ticker, undefined, volatilityDays, now) });
  }

  // Cheap filters first, so daily candles are fetched only for symbols still in the running.
  const cheap = config.filters.filter((f) => !CANDLE_FILTERS.has(f.kind));
  const first = applyFilters(measured, cheap);
  let survivors = first.kept;
  const rejected = [...first.rejected];
  const need = Math.max(
    volatilityDays + 2,
    config.groups.risky.newListingDays + 1,
    ...config.filters.map((f) => (f.kind === 'minAge' ? f.days + 1 : 0)),
  );
  if (source.fetchCandles) {
    const fetchCandles = source.fetchCandles.bind(source);
    const withCandles: typeof survivors = [];
    for (const item of survivors) {
      let daily: Candle[];
      try {
        daily = await fetchCandles(item.symbol, '1d', { limit: need });
      } catch (err) {
        problems.push({ symbol: item.symbol, kind: 'problematic', reason: `daily candles unavailable: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      withCandles.push({ ...item, metrics: measureSymbol(item.market, tickers[item.symbol] as NonNullable<(typeof tickers)[string]>, daily, volatilityDays, now) });
    }
    survivors = withCandles;
  }
  const second = applyFilters(survivors, config.filters.filter((f) => CANDLE_FILTERS.has(f.kind)));
  rejected.push(...second.rejected);

  const ranked = rankByLiquidity(second.kept).slice(0, config.maxSymbols);
  const classified = classifySymbols(ranked, config.groups);
  const groups = emptyGroups();
  for (const s of classified) groups[s.group].push(s);
  const tradable = classified.map((s) => s.symbol);
  await memory?.remember(problems, config.problemTtlMs);
  await memory?.saveTradable(tradable, config.tradableTtlMs);
  const until = now + config.problemTtlMs;
  return {
    exchange: source.id,
    time: now,
    source: 'exchange',
    tradable,
    groups,
    candidates: candidates.length + skipped.length,
    rejected,
    skipped,
    problems: problems.map((p) => ({ ...p, until })),
  };
}

async function fallback(options: BuildUniverseOptions, now: number, err: unknown, memory: UniverseMemory | undefined): Promise<UniverseResult> {
  const reason = err instanceof Error ? err.message : String(err);
  const last = await memory?.lastTradable();
  const fromMemory = last !== undefined && last.symbols.length > 0;
  return {
    exchange: options.source.id,
    time: now,
    source: fromMemory ? 'remembered' : 'configured',
    fallbackReason: reason,
    tradable: fromMemory ? last.symbols : options.config.fallbackSymbols,
    groups: emptyGroups(),
    candidates: 0,
    rejected: [],
    skipped: [],
    problems: [],
  };
}
