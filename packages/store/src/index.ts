/**
 * `@kairos/store`: durable `TradeStore` implementations: an append-only file store
 * and a Redis store.
 *
 * @packageDocumentation
 */
export * from './store-error';
export * from './file/file-trade-store';
export * from './redis/redis-keys';
export * from './redis/redis-trade-store';
export { FileLock, FileLockError, type FileLockFailure, type FileLockOptions, type LockRecord } from './file/file-lock';
