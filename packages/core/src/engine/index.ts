export * from './engine';
export * from './candle-series';
export * from './symbol-state';
export * from './safe-strategy';
export * from './order-tracker';
export * from './client-order-id';
