export * from './candle-file';
export * from './candle-directory';
export * from './markets';
