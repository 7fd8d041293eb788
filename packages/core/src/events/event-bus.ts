import { EventEmitter } from 'eventemitter3';
import type { KairosEventName, KairosEventPayload, KairosEvents } from './event-map';

/**
 * The typed event bus: commands go in through method calls, what happened comes out
 * here. A listener that throws is isolated so one bad subscriber cannot stop the engine.
 */
export class EventBus {
  private readonly emitter = new EventEmitter<KairosEvents>();
  private listenerErrors = 0;

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
    return () => this.emitter.off(event, safe as never);
  }

  emit<K extends KairosEventName>(event: K, payload: KairosEventPayload<K>): void {
    (this.emitter.emit as (e: K, p: KairosEventPayload<K>) => boolean)(event, payload);
  }

  /**
   * True when `event` has at least one listener. Hot loops check this before building a
   * payload, so an event nobody listens to costs no allocation.
   */
  hasListeners(event: KairosEventName): boolean {
    return this.emitter.listenerCount(event) > 0;
  }

  /** How many listener calls threw since the bus was made. */
  get errorCount(): number {
    return this.listenerErrors;
  }

  removeAllListeners(): void {
    this.emitter.removeAllListeners();
  }
}
