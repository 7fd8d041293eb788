/**
 * `@kairos/risk`: `RiskPolicy` implementations. Sizing and composition so far.
 *
 * @packageDocumentation
 */
export * from './fixed-fraction-sizing';
export * from './composite-risk-policy';
