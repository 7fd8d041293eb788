import type { EventBus, RiskPolicy } from '@kairos/core';

/**
 * Feeds a policy's lifecycle hooks from the bus: every closed candle, and the user's
 * closed trades and equity samples. Lets a runner keep stateful policies current
 * without the engine calling them; returns a function that detaches.
 * Use this or engine-side calls, not both (hooks would run twice).
 */
export function attachRiskPolicy(bus: EventBus, policy: RiskPolicy, userId: string): () => void {
  const offs: Array<() => void> = [];
  if (policy.onCandle) offs.push(bus.on('candle.closed', (mc) => policy.onCandle?.(mc)));
  if (policy.onTradeClosed) offs.push(bus.on('trade.closed', (e) => e.userId === userId && policy.onTradeClosed?.(e.trade)));
  if (policy.onEquity) offs.push(bus.on('portfolio.equity', (e) => e.userId === userId && policy.onEquity?.(e.point)));
  return () => {
    for (const off of offs) off();
  };
}
