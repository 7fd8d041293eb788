export * from './fill-model';
export * from './simulated-exchange';
export * from './simulated-venue-state';
export * from './persistent-simulated-exchange';
