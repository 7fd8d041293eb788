import { fileURLToPath } from 'node:url';
import type { Trade } from '@kairos/core';
import { expect } from 'vitest';

/** The repository's bundled candles. */
export const DATA_DIR = fileURLToPath(new URL('../../../data', import.meta.url));

/** Small seeded generator for test parameter sets (mulberry32). */
export function testRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

/** Asserts two trade lists agree trade for trade: same times, prices/amounts/pnl to 1e-9. */
export function expectSameTrades(sweep: readonly Trade[], engine: readonly Trade[], label: string): void {
  expect(sweep.length, `${label}: trade count`).toBe(engine.length);
  for (let i = 0; i < engine.length; i++) {
    const a = sweep[i] as Trade;
    const b = engine[i] as Trade;
    const at = `${label} trade ${i}`;
    expect(a.symbol, at).toBe(b.symbol);
    expect(a.entryTime, `${at} entry time`).toBe(b.entryTime);
    expect(a.exitTime, `${at} exit time`).toBe(b.exitTime);
    for (const k of ['entryPrice', 'exitPrice', 'amount', 'pnl', 'fees'] as const) {
      expect(rel(a[k], b[k]), `${at} ${k}: sweep ${a[k]} vs engine ${b[k]}`).toBeLessThan(1e-9);
    }
  }
}
