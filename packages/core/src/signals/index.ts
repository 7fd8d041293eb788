export * from './signal-aggregator';
export * from './composite-strategy';
export * from './signal-blacklist';
export * from './signal-validator';
