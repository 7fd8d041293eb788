export * from './summary';
export * from './drawdown-stats';
export * from './risk-adjusted';
export * from './probabilistic-sharpe';
export * from './trade-metrics';
export * from './breakdowns';
export * from './performance-metrics';
