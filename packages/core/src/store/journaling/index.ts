export * from './journal-entry';
export * from './journaling-trade-store';
export * from './last-known-state';
export * from './store-epoch';
export * from './store-health';
export * from './store-time';
export * from './write-journal';
