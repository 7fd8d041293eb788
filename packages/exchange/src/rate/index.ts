export * from './time-source';
export * from './virtual-time';
export * from './backoff';
export * from './rate-limit-store';
export * from './redis-rate-limit-store';
export * from './weighted-rate-limiter';
export * from './circuit-breaker';
