export * from './candle';
export * from './market';
export * from './precision';
export * from './step-counter';
export * from './order';
export * from './position';
export * from './signal';
