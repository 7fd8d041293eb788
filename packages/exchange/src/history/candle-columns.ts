import { gunzipSync, gzipSync } from 'node:zlib';
import { type Candle, DataError } from '@kairos/core';
import { candleProblem } from '../data/candle-check';
import { decodeColumn, encodeColumn } from './number-column';

/** First bytes of every columnar candle file ("Kairos Candle Columns", format 1). */
const MAGIC = 'KCC1';
const HEADER_BYTES = 32;
const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** What the uncompressed header of a columnar file says, readable without decompressing. */
export interface CandleColumnsHeader {
  readonly stepMs: number;
  readonly count: number;
  /** Open time of the first and last candle (ms); NaN when the file is empty. */
  readonly first: number;
  readonly last: number;
}

/**
 * Encodes candles of one series as a columnar file: a 32-byte header (magic, version,
 * flags, step, count, first and last open time) followed by a gzip body holding the open
 * times as deltas in steps (uint32) and the five price/volume columns, each stored
 * losslessly by {@link encodeColumn} (scaled decimal deltas, or shuffled float64). The
 * output is a pure function of the input, so re-writing the same candles gives
 * byte-identical files.
 *
 * @param candles - sorted, unique, aligned to `stepMs` (the caller validates)
 */
export function encodeCandleColumns(candles: readonly Candle[], stepMs: number): Buffer {
  const n = candles.length;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt16LE(1, 4);
  header.writeUInt16LE(0, 6); // flags, none defined yet
  header.writeUInt32LE(stepMs, 8);
  header.writeUInt32LE(n, 12);
  header.writeDoubleLE(n > 0 ? (candles[0] as Candle).time : Number.NaN, 16);
  header.writeDoubleLE(n > 0 ? (candles[n - 1] as Candle).time : Number.NaN, 24);
  const deltas = new Uint32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) deltas[i - 1] = ((candles[i] as Candle).time - (candles[i - 1] as Candle).time) / stepMs;
  const parts: Buffer[] = [Buffer.from(deltas.buffer, deltas.byteOffset, deltas.byteLength)];
  for (const field of FIELDS) parts.push(encodeColumn(Float64Array.from(candles, (c) => c[field])));
  const body = Buffer.concat(parts);
  return Buffer.concat([header, gzipSync(body, { level: 6 })]);
}

/** Reads only the header; throws `DataError` naming `file` when it is not a columnar file. */
export function readCandleColumnsHeader(buf: Buffer, file: string): CandleColumnsHeader {
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 4) !== MAGIC) {
    throw new DataError(`${file}: not a Kairos columnar candle file`, { file });
  }
  const version = buf.readUInt16LE(4);
  if (version !== 1) throw new DataError(`${file}: unsupported format version ${version}`, { file, version });
  return { stepMs: buf.readUInt32LE(8), count: buf.readUInt32LE(12), first: buf.readDoubleLE(16), last: buf.readDoubleLE(24) };
}

/**
 * Decodes a columnar file and validates every candle with the same rules as the CSV
 * loader; a bad candle is a `DataError` naming the file and the row (1-based).
 */
export function decodeCandleColumns(buf: Buffer, file: string): Candle[] {
  const head = readCandleColumnsHeader(buf, file);
  let body: Buffer;
  try {
    body = gunzipSync(buf.subarray(HEADER_BYTES));
  } catch {
    throw new DataError(`${file}: compressed body is corrupt`, { file });
  }
  const n = head.count;
  const deltaBytes = Math.max(0, n - 1) * 4;
  if (body.length < deltaBytes) throw new DataError(`${file}: body too short for ${n} candles`, { file });
  // Copy into a fresh buffer: typed arrays need aligned offsets.
  const deltas = new Uint32Array(new Uint8Array(body.subarray(0, deltaBytes)).buffer);
  const columns: Float64Array[] = [];
  let offset = deltaBytes;
  for (const field of FIELDS) {
    const col = decodeColumn(body, offset, n, `${file} (${field})`);
    columns.push(col.values);
    offset = col.end;
  }
  if (offset !== body.length) throw new DataError(`${file}: ${body.length - offset} unexpected bytes after the columns`, { file });
  const [opens, highs, lows, closes, volumes] = columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const out: Candle[] = new Array<Candle>(n);
  let time = head.first;
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (i > 0) time += (deltas[i - 1] as number) * head.stepMs;
    const c: Candle = {
      time,
      open: opens[i] as number,
      high: highs[i] as number,
      low: lows[i] as number,
      close: closes[i] as number,
      volume: volumes[i] as number,
    };
    const problem = candleProblem(c, prev, head.stepMs);
    if (problem !== undefined) throw new DataError(`${file}: row ${i + 1}: ${problem}`, { file, row: i + 1 });
    out[i] = c;
    prev = time;
  }
  if (n > 0 && time !== head.last) throw new DataError(`${file}: last open time ${time} does not match the header's ${head.last}`, { file });
  return out;
}
