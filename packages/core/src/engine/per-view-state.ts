import type { MarketView } from '../ports/strategy';
import { heldViewState, holdViewState } from './market-view';

/**
 * State a strategy keeps per view across bars (a swing cache, a vote memory), looked up
 * from the view on each `decide`.
 *
 * Live, hundreds of symbols take turns, so each lookup comes to a view whose state left
 * the CPU caches since its last turn: a `WeakMap` costs a hash-table probe and a cache
 * miss or two per symbol and strategy on top of the state itself. An engine view keeps
 * its consumers' states in itself (a load or two from an object the decide touches
 * anyway); other views go through a `WeakMap`. The state lives as long as the view.
 */
export class PerViewState<T> {
  readonly #fallback = new WeakMap<MarketView, T>();

  /** The state stored for `view`, if any. */
  get(view: MarketView): T | undefined {
    const held = heldViewState(view, this);
    return held !== undefined ? (held as T) : this.#fallback.get(view);
  }

  /** Stores (or replaces) the state of `view`. */
  set(view: MarketView, state: T): void {
    if (!holdViewState(view, this, state)) this.#fallback.set(view, state);
  }
}
