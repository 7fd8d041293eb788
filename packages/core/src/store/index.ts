export * from './memory-trade-store';
