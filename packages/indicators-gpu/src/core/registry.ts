import type { KernelIndicator } from './define-indicator.js';
import { IndicatorError } from './indicator-error.js';
import type { IndicatorSpec } from './types.js';
import { BUILT_INS } from '../indicators/index.js';

/**
 * A name -> indicator lookup. The built-in one is immutable; applications
 * that add custom indicators create their own with {@link createRegistry}
 * instead of mutating a global.
 */
export interface IndicatorRegistry {
  get(name: string): KernelIndicator;
  has(name: string): boolean;
  list(): readonly IndicatorSpec[];
  all(): readonly KernelIndicator[];
}

/** A registry of the built-ins plus `extra` (names must not collide). */
export function createRegistry(extra: readonly KernelIndicator[] = []): IndicatorRegistry {
  const map = new Map<string, KernelIndicator>();
  for (const ind of [...BUILT_INS, ...extra]) {
    if (map.has(ind.spec.name)) {
      throw new IndicatorError('INDICATOR_DUPLICATE', `indicator '${ind.spec.name}' is defined twice`, ind.spec.name);
    }
    map.set(ind.spec.name, ind);
  }
  const all = Object.freeze([...map.values()]);
  const specs = Object.freeze(all.map((i) => i.spec));
  return Object.freeze({
    get(name: string): KernelIndicator {
      const ind = map.get(typeof name === 'string' ? name.toLowerCase() : name);
      if (!ind) {
        throw new IndicatorError(
          'INDICATOR_UNKNOWN',
          `unknown indicator '${String(name)}'; known: ${[...map.keys()].join(', ')}`,
          String(name),
        );
      }
      return ind;
    },
    has: (name: string) => map.has(name),
    list: () => specs,
    all: () => all,
  });
}

/** The built-in registry (immutable). */
export const builtInRegistry: IndicatorRegistry = createRegistry();

/** A built-in indicator by name; throws INDICATOR_UNKNOWN listing the known names. */
export function getIndicator(name: string): KernelIndicator {
  return builtInRegistry.get(name);
}

/** Specs of all built-in indicators. */
export function listIndicators(): readonly IndicatorSpec[] {
  return builtInRegistry.list();
}
