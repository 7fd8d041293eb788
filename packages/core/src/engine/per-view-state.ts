import type { MarketView } from '../ports/strategy';

/**
 * A view that can hold its consumers' states in itself (the engine's views do, for the
 * first few consumers; the rest fall back to their own maps).
 */
export interface StateSlot {
  /** The state `owner` stored here, or {@link NOT_HELD} when it stored none. */
  heldStateOf(owner: object): unknown;
  /** Stores `owner`'s state; false when the view keeps no more. */
  holdState(owner: object, state: unknown): boolean;
}

/** What {@link StateSlot.heldStateOf} answers when the owner stored no state in that view. */
export const NOT_HELD: unique symbol = Symbol('kairos.notHeld');

function slotOf(view: MarketView): StateSlot | undefined {
  return typeof (view as Partial<StateSlot>).heldStateOf === 'function' ? (view as unknown as StateSlot) : undefined;
}

/**
 * State a strategy keeps per view across bars (a swing cache, a vote memory), looked up
 * from the view on each `decide`.
 *
 * Live, hundreds of symbols take turns, so each lookup comes to a view whose state left
 * the CPU caches since its last turn: a `WeakMap` costs a hash-table probe and a cache
 * miss or two per symbol and strategy on top of the state itself. An engine view keeps
 * its consumers' states in a short list of its own (a load or two from an object the
 * decide touches anyway); other views go through a `WeakMap`. The state lives as long
 * as the view.
 */
export class PerViewState<T> {
  readonly #fallback = new WeakMap<MarketView, T>();

  /** The state stored for `view`, if any. */
  get(view: MarketView): T | undefined {
    const slot = slotOf(view);
    if (slot) {
      const held = slot.heldStateOf(this);
      if (held !== NOT_HELD) return held as T;
    }
    return this.#fallback.get(view);
  }

  /** Stores (or replaces) the state of `view`. */
  set(view: MarketView, state: T): void {
    const slot = slotOf(view);
    if (slot?.holdState(this, state)) return;
    this.#fallback.set(view, state);
  }
}
