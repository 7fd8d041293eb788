import type { SymbolMetrics } from './symbol-metrics';
import type { UniverseConfig } from './universe-config';

/** The groups a tradable symbol falls into; each symbol is in exactly one. */
export type UniverseGroup = 'top' | 'memes' | 'risky' | 'other';

/** A tradable symbol with its liquidity rank (1 = most liquid), group and why. */
export interface RankedSymbol {
  readonly symbol: string;
  readonly base: string;
  readonly rank: number;
  readonly group: UniverseGroup;
  /** Why the symbol is in `memes` or `risky`; empty for the other groups. */
  readonly why: readonly string[];
  readonly metrics: SymbolMetrics;
}

/**
 * Ranks by liquidity: 24h quote volume, highest first; a narrower spread breaks ties,
 * then the symbol name, so the order is total and repeatable.
 */
export function rankByLiquidity<T extends { readonly symbol: string; readonly metrics: SymbolMetrics }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      b.metrics.quoteVolume - a.metrics.quoteVolume ||
      (a.metrics.spread ?? 1) - (b.metrics.spread ?? 1) ||
      (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  );
}

/** Reasons a symbol counts as risky under `cfg` (thin, wide, new or wild); empty when none. */
export function riskyReasons(m: SymbolMetrics, cfg: UniverseConfig['groups']['risky']): string[] {
  const why: string[] = [];
  if (m.quoteVolume < cfg.minQuoteVolume) why.push('thin book: low 24h volume');
  if (m.spread === undefined || m.spread > cfg.maxSpread) why.push('wide spread');
  if (m.ageDays !== undefined && m.ageDays < cfg.newListingDays) why.push('new listing');
  if (m.volatility !== undefined && m.volatility > cfg.maxVolatility) why.push('extreme volatility');
  return why;
}

/** Reasons a symbol counts as a meme coin: on the list, or tiny unit price with high volatility. */
export function memeReasons(base: string, m: SymbolMetrics, cfg: UniverseConfig['groups']['memes']): string[] {
  const why: string[] = [];
  if (cfg.coins.includes(base)) why.push('on the meme list');
  else if (m.last < cfg.maxPrice && m.volatility !== undefined && m.volatility > cfg.minVolatility) why.push('very low unit price and high volatility');
  return why;
}

/**
 * Puts each ranked symbol in one group, checked in this order so the safest reading
 * wins: **risky** (any risk sign), **memes** (list or rule), **top** (the `top.count`
 * most liquid of the rest), **other**.
 */
export function classifySymbols(ranked: ReadonlyArray<{ readonly symbol: string; readonly base: string; readonly metrics: SymbolMetrics }>, groups: UniverseConfig['groups']): RankedSymbol[] {
  let tops = 0;
  return ranked.map((item, i) => {
    const risky = riskyReasons(item.metrics, groups.risky);
    const meme = risky.length === 0 ? memeReasons(item.base, item.metrics, groups.memes) : [];
    let group: UniverseGroup = 'other';
    if (risky.length > 0) group = 'risky';
    else if (meme.length > 0) group = 'memes';
    else if (tops < groups.top.count) {
      group = 'top';
      tops++;
    }
    return { symbol: item.symbol, base: item.base, rank: i + 1, group, why: group === 'risky' ? risky : group === 'memes' ? meme : [], metrics: item.metrics };
  });
}
