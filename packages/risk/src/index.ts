/**
 * `@kairos/risk`: `RiskPolicy` implementations — sizing, exits and partial closes,
 * limits, protections and circuit breakers, correlation caps, deposit rules — and
 * `createRiskPolicy`, which builds the default set (or none) from config.
 *
 * @packageDocumentation
 */
export * from './decision';
export * from './composite-risk-policy';
export * from './create-risk-policy';
export * from './risk-config';
export * from './attach-risk-policy';
export * from './attach-risk-audit';
export * from './market/market-memory';
export * from './state/state-cell';
export * from './state/lock-book';
export * from './sizing/fit-to-market';
export * from './sizing/size-entry';
export * from './sizing/stop-distance';
export * from './sizing/fixed-fraction-sizing';
export * from './sizing/fixed-risk-sizing';
export * from './sizing/volatility-target-sizing';
export * from './sizing/kelly-sizing';
export * from './exits/exit-rules';
export * from './exits/partial-close-ladder';
export * from './limits/exposure-limits';
export * from './limits/order-rate-limit';
export * from './protections/protection-deps';
export * from './protections/trade-window-protection';
export * from './protections/stoploss-guard';
export * from './protections/cooldown-period';
export * from './protections/low-profit-pairs';
export * from './protections/max-drawdown';
export * from './protections/daily-loss-limit';
export * from './protections/kill-switch';
export * from './correlation/pearson';
export * from './correlation/correlation-cap';
export * from './deposit/deposit-manager';
export * from './deposit/deposit-rules';
