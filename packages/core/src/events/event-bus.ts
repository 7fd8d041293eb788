import { EventEmitter } from 'eventemitter3';
import type { KairosEventName, KairosEventPayload, KairosEvents } from './event-map';

/**
 * The typed event bus: commands go in through method calls, what happened comes out
 * here. A listener that throws is isolated so one bad subscriber cannot stop the engine.
 */
export class EventBus {
  private readonly emitter = new EventEmitter<KairosEvents>();
  private listenerErrors = 0;
  /** Listeners subscribed, all events together: a bus nobody listens to answers `hasListeners` from a field. */
  private listening = 0;
  /** Bumped by `removeAllListeners`, so an unsubscribe from before it does not count twice. */
  private generation = 0;

  constructor(private readonly onListenerError?: (event: string, error: unknown) => void) {}

  on<K extends KairosEventName>(event: K, listener: KairosEvents[K]): () => void {
    const safe = ((payload: KairosEventPayload<K>) => {
      try {
        (listener as (p: KairosEventPayload<K>) => void)(payload);
      } catch (error) {
        this.listenerErrors += 1;
        this.onListenerError?.(event, error);
      }
    }) as unknown as KairosEvents[K];
    this.emitter.on(event, safe as never);
    this.listening += 1;
    let subscribed = true;
    const generation = this.generation;
    return () => {
      if (!subscribed || generation !== this.generation) return;
      subscribed = false;
      this.emitter.off(event, safe as never);
      this.listening -= 1;
    };
  }

  emit<K extends KairosEventName>(event: K, payload: KairosEventPayload<K>): void {
    (this.emitter.emit as (e: K, p: KairosEventPayload<K>) => boolean)(event, payload);
  }

  /**
   * True when `event` has at least one listener. Hot loops check this before building a
   * payload, so an event nobody listens to costs no allocation.
   */
  hasListeners(event: KairosEventName): boolean {
    return this.listening > 0 && this.emitter.listenerCount(event) > 0;
  }

  /** How many listener calls threw since the bus was made. */
  get errorCount(): number {
    return this.listenerErrors;
  }

  removeAllListeners(): void {
    this.emitter.removeAllListeners();
    this.listening = 0;
    this.generation += 1;
  }
}
