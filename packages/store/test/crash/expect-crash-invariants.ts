import { expect } from 'vitest';
import type { CrashTestResult } from './crash-harness';


/** The invariants every store must keep through the crash test: nothing lost, doubled or left pending. */
export function expectCrashInvariants(res: CrashTestResult, kills: number): void {
  // One line of figures: how much was crashed and checked.
  console.info(`crash test: ${res.kills} kills ${JSON.stringify(res.killsByPoint)}, ${res.steps} steps, ${res.venueOrders} orders on the venue`);
  expect(res.kills, JSON.stringify(res.killsByPoint)).toBe(kills);
  expect(res.killsByPoint['after-intent'], 'killed between storing an intent and sending it').toBeGreaterThan(0);
  expect(res.killsByPoint['after-send'], 'killed between sending and storing the ack').toBeGreaterThan(0);
  expect(res.venueOrders, 'hundreds of orders').toBeGreaterThanOrEqual(kills * 4);
  expect(res.missingFromStore, 'orders on the exchange missing from the store').toEqual([]);
  expect(res.duplicateClientIds).toEqual([]);
  expect(res.pendingLeft, 'every intent resolved').toEqual([]);
  expect(res.positionDiffs, 'positions equal the exchange within one step').toEqual([]);
  for (const r of res.finalReports) {
    expect(r.passed).toBe(true);
    expect(r.fillsImported, `${r.userId}: the runner had already stored every fill`).toEqual([]);
  }
}
