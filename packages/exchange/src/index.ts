/**
 * `@kairos/exchange`: exchange adapters (simulated; ccxt in a later release), market
 * data feeds and candle data loading.
 *
 * @packageDocumentation
 */
export * from './data';
export * from './simulated';
export * from './ccxt';
export * from './errors';
export * from './rate';
export * from './feeds';
export * from './history';
export * from './universe';
