export * from './memory-user-store';
