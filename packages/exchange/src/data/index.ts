export * from './candle-file';
export * from './candle-check';
export * from './candle-sanity';
export * from './candle-directory';
export * from './markets';
