export * from './kairos-error';
