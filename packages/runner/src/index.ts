/**
 * `@kairos/runner`: the `kairos` CLI and the reference bot's wiring.
 *
 * @packageDocumentation
 */
export { main } from './cli/main';
export type { CommandIo } from './cli/io';
export { createSimulation, type Simulation, type SimulationSetup } from './wiring/simulation';
export { defaultDataDir } from './wiring/data-dir';
export * from './users';
export * from './pool';
