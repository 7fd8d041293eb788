/**
 * The names of an error's classes, most specific first (e.g. ['OnMaintenance',
 * 'ExchangeNotAvailable', 'NetworkError', 'OperationFailed', 'BaseError', 'Error']).
 * Matching by name rather than `instanceof` keeps this module free of a ccxt import and
 * works across duplicate ccxt copies in one process.
 */
export function errorClassNames(err: unknown): string[] {
  const names: string[] = [];
  if (typeof err !== 'object' || err === null) return names;
  let proto: unknown = Object.getPrototypeOf(err);
  for (let depth = 0; proto && depth < 12; depth++) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (ctor && typeof ctor.name === 'string' && ctor.name && !names.includes(ctor.name)) names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}
