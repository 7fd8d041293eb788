import { getIndicator, type StreamingIndicator } from '@kairos/indicators-gpu';
import type { Candle } from '../domain/candle';
import { ConfigError } from '../errors/kairos-error';
import type { IndicatorRequest } from '../ports/strategy';

interface Slot {
  readonly key: string;
  readonly output: string;
  readonly stream: StreamingIndicator;
  values: Float64Array;
}

/**
 * The indicators one symbol needs, updated one closed candle at a time (O(1) each)
 * and kept as columns so a view can read any past value.
 */
export class IndicatorSet {
  private readonly slots: Slot[] = [];
  private readonly byKey = new Map<string, Slot>();
  private n = 0;

  constructor(requests: Readonly<Record<string, IndicatorRequest>>, capacity = 1024) {
    for (const [key, req] of Object.entries(requests)) {
      let indicator;
      try {
        indicator = getIndicator(req.indicator);
      } catch (err) {
        throw new ConfigError(`indicators.${key}`, (err as Error).message);
      }
      const output = req.output ?? indicator.spec.outputs[0];
      if (output === undefined || !indicator.spec.outputs.includes(output)) {
        throw new ConfigError(
          `indicators.${key}.output`,
          `unknown output '${String(output)}' of ${req.indicator}; allowed: ${indicator.spec.outputs.join(', ')}`,
        );
      }
      const slot: Slot = {
        key,
        output,
        stream: indicator.stream(req.params as never),
        values: new Float64Array(Math.max(16, capacity)).fill(Number.NaN),
      };
      this.slots.push(slot);
      this.byKey.set(key, slot);
    }
  }

  /** Feeds the next closed candle to every indicator. */
  update(c: Candle): void {
    const i = this.n;
    for (const s of this.slots) {
      if (i === s.values.length) {
        const grown = new Float64Array(s.values.length * 2).fill(Number.NaN);
        grown.set(s.values);
        s.values = grown;
      }
      const out = s.stream.update(c);
      s.values[i] = out[s.output] ?? Number.NaN;
    }
    this.n += 1;
  }

  /** Value of `key` at absolute index `i`; NaN when out of range or warming up. */
  valueAt(key: string, i: number): number {
    const s = this.byKey.get(key);
    if (!s) throw new ConfigError('indicator', `no indicator '${key}' declared; declared: ${[...this.byKey.keys()].join(', ')}`);
    if (i < 0 || i >= this.n) return Number.NaN;
    return s.values[i] as number;
  }
}
