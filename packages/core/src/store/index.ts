export * from './memory-trade-store';
export * from './merge-order';
export * from './retrying-trade-store';
