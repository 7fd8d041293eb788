/**
 * `@kairos/research`: fast parameter sweeps with Engine parity, optimizers (grid,
 * random, genetic, NSGA-II), walk-forward, Monte Carlo, sensitivity, lookahead checks
 * and self-contained HTML reports.
 *
 * @packageDocumentation
 */
export * from './sweep/fill-model';
export * from './sweep/series-data';
export * from './sweep/signal-source';
export * from './sweep/ma-cross-kernel';
export * from './sweep/simulate-long';
export * from './sweep/run-sweep';
export * from './data/load-series';
export * from './engine/run-engine';
export * from './optimize/research-error';
export * from './optimize/param-space';
export * from './optimize/rng';
export * from './optimize/objectives';
export * from './optimize/evaluator';
export * from './optimize/pareto';
export * from './optimize/optimize';
export * from './optimize/worker-protocol';
export * from './optimize/worker-evaluator';
export * from './walk-forward/walk-forward';
export * from './montecarlo/monte-carlo';
export * from './sensitivity/sensitivity';
export * from './lookahead/lookahead-check';
export * from './report/report-data';
export * from './report/render-html';
export * from './report/write-report';
export * from './cli/parse-range';
export * from './cli/progress-bar';
