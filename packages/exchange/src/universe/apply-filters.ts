import type { SymbolMetrics } from './symbol-metrics';
import type { SymbolFilterConfig } from './universe-config';

/** Why a filter dropped a symbol. */
export interface FilterRejection {
  readonly symbol: string;
  /** The filter's `kind`. */
  readonly filter: SymbolFilterConfig['kind'];
  readonly reason: string;
}

const pct = (x: number) => `${(x * 100).toFixed(3)}%`;

/** The reason `filter` rejects a symbol with these metrics, or undefined when it passes. */
export function filterRejects(filter: SymbolFilterConfig, m: SymbolMetrics): string | undefined {
  switch (filter.kind) {
    case 'minQuoteVolume':
      return m.quoteVolume < filter.min ? `24h quote volume ${m.quoteVolume.toFixed(0)} < ${filter.min}` : undefined;
    case 'maxSpread':
      if (m.spread === undefined) return 'no bid/ask quote';
      return m.spread > filter.max ? `spread ${pct(m.spread)} > ${pct(filter.max)}` : undefined;
    case 'price':
      if (filter.min !== undefined && m.last < filter.min) return `price ${m.last} < ${filter.min}`;
      if (filter.max !== undefined && m.last > filter.max) return `price ${m.last} > ${filter.max}`;
      if (filter.lowPriceRatio !== undefined && !(m.lowPriceRatio <= filter.lowPriceRatio)) {
        return `one price step is ${pct(m.lowPriceRatio)} of the price (> ${pct(filter.lowPriceRatio)})`;
      }
      return undefined;
    case 'minAge':
      if (m.ageDays === undefined) return 'listing age unknown';
      return m.ageDays < filter.days ? `listed ${m.ageDays} days < ${filter.days}` : undefined;
    case 'volatility':
      if (m.volatility === undefined) return `fewer than ${filter.days + 1} daily candles`;
      if (filter.min !== undefined && m.volatility < filter.min) return `daily volatility ${pct(m.volatility)} < ${pct(filter.min)}`;
      if (filter.max !== undefined && m.volatility > filter.max) return `daily volatility ${pct(m.volatility)} > ${pct(filter.max)}`;
      return undefined;
  }
}

/**
 * Runs the chain in order, like freqtrade's pairlist filters: each symbol leaves at the
 * first filter it fails. Returns the survivors (input order kept) and the rejections.
 */
export function applyFilters<T extends { readonly symbol: string; readonly metrics: SymbolMetrics }>(
  items: readonly T[],
  chain: readonly SymbolFilterConfig[],
): { kept: T[]; rejected: FilterRejection[] } {
  const kept: T[] = [];
  const rejected: FilterRejection[] = [];
  for (const item of items) {
    let failed: FilterRejection | undefined;
    for (const f of chain) {
      const reason = filterRejects(f, item.metrics);
      if (reason !== undefined) {
        failed = { symbol: item.symbol, filter: f.kind, reason };
        break;
      }
    }
    if (failed) rejected.push(failed);
    else kept.push(item);
  }
  return { kept, rejected };
}
