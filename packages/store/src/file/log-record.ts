import { type DecodedLines, type Fill, type StoredOrder, type Trade, decodeChecksummedLines, encodeChecksummedLine } from '@kairos/core';

/**
 * One change in the file store's log. Every record is idempotent when replayed on top
 * of a state that already contains it (orders merge, fills dedupe by id, trades and
 * values overwrite), which is what lets a snapshot overlap the log that follows it.
 */
export type LogRecord =
  | { readonly t: 'order'; readonly order: StoredOrder }
  | { readonly t: 'fill'; readonly userId: string; readonly fill: Fill }
  | { readonly t: 'trade'; readonly trade: Trade }
  | { readonly t: 'set'; readonly key: string; readonly value: string; readonly expiresAt?: number }
  | { readonly t: 'del'; readonly key: string }
  /** Last line of a snapshot: says how many records precede it, so a cut file is seen. */
  | { readonly t: 'end'; readonly count: number };

/** `<crc32 as 8 hex digits><json>\n`: the checksum covers the JSON's UTF-8 bytes (see `encodeChecksummedLine`). */
export function encodeRecord(record: LogRecord): Buffer {
  return encodeChecksummedLine(record);
}

export type DecodedLog = DecodedLines<LogRecord>;

function isLogRecord(value: unknown): value is LogRecord {
  const rec = value as LogRecord | null;
  return typeof rec === 'object' && rec !== null && typeof rec.t === 'string';
}

/**
 * Reads records until the first one that is cut short or fails its checksum. Whether
 * any valid record follows a bad one is reported, because that separates a torn last
 * write (expected after a crash) from corruption in the middle (not expected).
 */
export function decodeLog(buf: Buffer): DecodedLog {
  return decodeChecksummedLines(buf, isLogRecord);
}
