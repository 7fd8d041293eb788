export * from './fill-model';
export * from './simulated-exchange';
