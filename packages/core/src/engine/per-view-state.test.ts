import { describe, expect, it } from 'vitest';
import type { MarketView } from '../ports/strategy';
import { PerViewState } from './per-view-state';
import { SymbolState } from './symbol-state';

const plainView = (symbol: string): MarketView => ({ symbol, timeframe: '1h', length: 0, time: 0, candle: () => undefined, indicator: () => Number.NaN });

describe('PerViewState', () => {
  it('keeps one state per view and consumer, on engine views and on any other view', () => {
    const a = new SymbolState('A/USDT', '1h').viewFor({ indicators: {} });
    const b = new SymbolState('B/USDT', '1h').viewFor({ indicators: {} });
    const p = plainView('C/USDT');
    // More consumers than an engine view keeps in itself: the rest use their own maps.
    const consumers = Array.from({ length: 12 }, () => new PerViewState<{ owner: number; view: string }>());
    for (const view of [a, b, p]) {
      consumers.forEach((c, owner) => {
        expect(c.get(view)).toBeUndefined();
        c.set(view, { owner, view: view.symbol });
      });
    }
    for (const view of [a, b, p]) consumers.forEach((c, owner) => expect(c.get(view)).toEqual({ owner, view: view.symbol }));
    // Replacing a state replaces only that one.
    consumers[3]?.set(a, { owner: -3, view: 'again' });
    consumers[10]?.set(a, { owner: -10, view: 'again' });
    expect(consumers[3]?.get(a)).toEqual({ owner: -3, view: 'again' });
    expect(consumers[10]?.get(a)).toEqual({ owner: -10, view: 'again' });
    expect(consumers[3]?.get(b)).toEqual({ owner: 3, view: 'B/USDT' });
    expect(consumers[4]?.get(a)).toEqual({ owner: 4, view: 'A/USDT' });
  });
});
