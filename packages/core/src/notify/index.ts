export * from './console-notifier';
