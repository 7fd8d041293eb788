import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Candle, Timeframe } from '../../domain/candle';

/** The repository's bundled candle folder (`data/` at the root; `KAIROS_DATA_DIR` overrides). */
export const DATA_DIR = process.env.KAIROS_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../data');

/** One bundled candle file. */
export interface BundledSeries {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly file: string;
}

/** Every bundled candle file, e.g. BTC/USDT 1h and 5m. Test support only. */
export function bundledSeries(): BundledSeries[] {
  return readdirSync(DATA_DIR)
    .map((file) => ({ file, m: /^([A-Z0-9]+)_([A-Z0-9]+)-(\d+[mh])\.csv(\.gz)?$/.exec(file) }))
    .filter((x) => x.m !== null)
    .map(({ file, m }) => ({ symbol: `${m?.[1]}/${m?.[2]}`, timeframe: m?.[3] as Timeframe, file }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** Reads a bundled CSV (`timestamp,open,high,low,close,volume`), optionally only the first `limit` rows. */
export function loadCandles(file: string, limit = Number.POSITIVE_INFINITY): Candle[] {
  const raw = readFileSync(join(DATA_DIR, file));
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const out: Candle[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length && out.length < limit; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const [t, o, h, l, c, v] = line.split(',').map(Number) as [number, number, number, number, number, number];
    out.push({ time: t, open: o, high: h, low: l, close: c, volume: v });
  }
  return out;
}
