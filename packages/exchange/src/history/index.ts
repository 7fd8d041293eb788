export * from './candle-columns';
export * from './series-key';
export * from './series-manifest';
export * from './history-store';
export * from './download-candles';
export * from './candle-resampler';
export * from './load-store-candles';
