export * from './loggers';
export * from './stderr-logger';
