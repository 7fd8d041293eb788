import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Candle, DataError, type Timeframe, isTimeframe, timeframeMs } from '@kairos/core';
import { candleProblem } from './candle-check';
import { parseCandleFields } from './candle-fields';
import { type CandleSanityOptions, candleSanityProblem, resolveCandleSanity } from './candle-sanity';
import { excerpt } from './excerpt';

/** A run of missing candles: `missing` candles between two that are present. */
export interface CandleGap {
  readonly from: number; // open time of the last candle before the gap
  readonly to: number; // open time of the first candle after it
  readonly missing: number;
}

export interface LoadedCandles {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candles: Candle[];
  readonly gaps: CandleGap[];
  readonly file: string;
}

const FILE_NAME = /^([A-Z0-9]+)_([A-Z0-9]+)-(\d+[mhdw])\.csv(\.gz)?$/;

/** Reads 'BTC_USDT-1h.csv[.gz]' as symbol and timeframe; undefined if the name does not fit. */
export function parseCandleFileName(path: string): { symbol: string; timeframe: Timeframe } | undefined {
  const m = FILE_NAME.exec(basename(path));
  if (!m || !isTimeframe(m[3] as string)) return undefined;
  return { symbol: `${m[1]}/${m[2]}`, timeframe: m[3] as Timeframe };
}

/**
 * Parses candle CSV text (`timestamp,open,high,low,close,volume`, open time in ms) and
 * validates every row. A bad row is a `DataError` whose message starts with
 * `<file>:<line>: `, never a guess. Numbers must be decimal (an exponent allowed); open times must lie
 * in [2009, 2100); prices, volumes and the jump from the previous candle must stay within
 * `options` (see {@link CandleSanityOptions}; default: at most 100x). Error messages
 * quote at most a short excerpt of the input. Gaps (missing candles) are reported, not
 * filled.
 *
 * @throws DataError for a bad header or row; ConfigError for bad `options`
 */
export function parseCandleCsv(text: string, file: string, timeframe: Timeframe, options: CandleSanityOptions = {}): { candles: Candle[]; gaps: CandleGap[] } {
  const step = timeframeMs(timeframe);
  const sanity = resolveCandleSanity(options);
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().toLowerCase();
  if (header !== 'timestamp,open,high,low,close,volume') {
    throw new DataError(`${file}:1: expected header 'timestamp,open,high,low,close,volume', got ${excerpt(lines[0] ?? '')}`, { file, line: 1 });
  }
  const candles: Candle[] = [];
  const gaps: CandleGap[] = [];
  let prev = Number.NEGATIVE_INFINITY;
  let prevCandle: Candle | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const fail = (why: string): never => {
      throw new DataError(`${file}:${i + 1}: ${why}`, { file, line: i + 1 });
    };
    const cols = line.split(',');
    if (cols.length !== 6) fail(`expected 6 columns, got ${cols.length}`);
    const candle = parseCandleFields(cols);
    if (typeof candle === 'string') return fail(candle);
    const { time } = candle;
    const problem = candleProblem(candle, prev, step, timeframe) ?? candleSanityProblem(candle, prevCandle, sanity);
    if (problem !== undefined) fail(problem);
    if (prev !== Number.NEGATIVE_INFINITY && time - prev > step) {
      gaps.push({ from: prev, to: time, missing: (time - prev) / step - 1 });
    }
    candles.push(candle);
    prev = time;
    prevCandle = candle;
  }
  return { candles, gaps };
}

/** Loads and validates one candle file (plain or gzipped CSV); `options` as for {@link parseCandleCsv}. */
export async function loadCandleFile(path: string, options: CandleSanityOptions = {}): Promise<LoadedCandles> {
  const parsed = parseCandleFileName(path);
  if (!parsed) {
    throw new DataError(`${path}: file name must look like BTC_USDT-1h.csv or BTC_USDT-1h.csv.gz`, { file: path });
  }
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    throw new DataError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file: path });
  }
  let text: string;
  try {
    text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  } catch {
    throw new DataError(`${path}: not valid gzip data`, { file: path });
  }
  const { candles, gaps } = parseCandleCsv(text, path, parsed.timeframe, options);
  return { ...parsed, candles, gaps, file: path };
}
