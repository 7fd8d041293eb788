export * from './universe-config';
export * from './universe-source';
export * from './symbol-metrics';
export * from './apply-filters';
export * from './classify-symbols';
export * from './universe-memory';
export * from './build-universe';
export * from './create-universe-source';
