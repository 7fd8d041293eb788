export * from './replay-feed';
