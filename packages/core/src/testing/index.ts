/**
 * `@kairos/core/testing`: conformance suites every port implementation runs, and
 * small builders for test data. The suites import vitest; use them from tests only.
 *
 * @packageDocumentation
 */
export * from './trade-store-fixtures';
export * from './trade-store-conformance';
export * from './exchange-adapter-conformance';
