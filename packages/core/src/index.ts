/**
 * `@kairos/core`: domain types, ports, the event bus, errors, configuration,
 * portfolio accounting, the Engine and the built-in strategies.
 *
 * @packageDocumentation
 */
export * from './domain';
export * from './errors';
export * from './ports';
export * from './events';
export * from './clock';
export * from './log';
export * from './notify';
export * from './store';
export * from './reconcile';
export * from './portfolio';
export * from './metrics';
export * from './engine';
export * from './strategies';
export * from './signals';
export * from './config';
export * from './monetization';
export * from './users';
