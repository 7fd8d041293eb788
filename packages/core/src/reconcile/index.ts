export * from './derive-fill';
export * from './net-position';
export * from './trading-gate';
export * from './reconcile-report';
export * from './reconciler';
