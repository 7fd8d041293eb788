import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bar, SeriesInputs } from '../../src/index.js';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Candles as columns, read from a committed fixture CSV (timestamp,open,high,low,close,volume). */
export interface FixtureSeries {
  readonly time: Float64Array;
  readonly inputs: Required<SeriesInputs>;
  readonly length: number;
}

function readCsv(file: string): number[][] {
  return readFileSync(dir + file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
}

/**
 * 500 BTC/USDT (or ETH/USDT) 1h candles from 2024-01-01 (GeneTrader, MIT) with the other
 * symbol's close of the same hours as the `benchmark` input of two-series indicators.
 */
export function loadFixture(symbol: 'btc' | 'eth' = 'btc'): FixtureSeries {
  const btc = readCsv('btc-usdt-1h-500.csv');
  const eth = readCsv('eth-usdt-1h-500.csv');
  const [main, other] = symbol === 'btc' ? [btc, eth] : [eth, btc];
  const col = (rows: number[][], k: number) => Float64Array.from(rows, (r) => r[k]!);
  return {
    time: col(main, 0),
    length: main.length,
    inputs: { open: col(main, 1), high: col(main, 2), low: col(main, 3), close: col(main, 4), volume: col(main, 5), benchmark: col(other, 4) },
  };
}

/** Bar i of a column set. */
export function barAt(inputs: SeriesInputs, i: number): Bar {
  return {
    open: inputs.open?.[i] ?? NaN,
    high: inputs.high?.[i] ?? NaN,
    low: inputs.low?.[i] ?? NaN,
    close: inputs.close?.[i] ?? NaN,
    volume: inputs.volume?.[i] ?? NaN,
    benchmark: inputs.benchmark?.[i] ?? NaN,
  };
}

/** Columns [from, to) as subarray views. */
export function sliceInputs(inputs: SeriesInputs, from: number, to: number): SeriesInputs {
  const out: SeriesInputs = {};
  for (const [k, v] of Object.entries(inputs) as [keyof SeriesInputs, Float64Array][]) out[k] = v.subarray(from, to);
  return out;
}

/** |a - b| within tol relative to the larger magnitude (absolute below 1); NaN only equals NaN. */
export function close(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** First index where the arrays differ beyond tol, or -1. */
export function firstMismatch(a: Float64Array | ArrayLike<number>, b: Float64Array | ArrayLike<number>, tol: number): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!close(a[i]!, b[i]!, tol)) return i;
  return -1;
}
