export * from './loggers';
