export * from './pool-entry';
export * from './pool-query';
export * from './user-trade-cache';
export * from './global-trade-pool';
export * from './trade-pool';
export * from './pool-scheduler';
export * from './trade-export';
