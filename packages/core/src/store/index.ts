export * from './memory-trade-store';
export * from './merge-order';
export * from './retrying-trade-store';
export * from './journaling';
export * from './checksummed-lines';
