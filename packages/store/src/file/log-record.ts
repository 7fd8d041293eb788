import { type Fill, type StoredOrder, type Trade, crc32 } from '@kairos/core';

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

/** `<crc32 as 8 hex digits><json>\n`: the checksum covers the JSON's UTF-8 bytes. */
export function encodeRecord(record: LogRecord): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const head = Buffer.from(crc32(json).toString(16).padStart(8, '0'), 'ascii');
  return Buffer.concat([head, json, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');

export interface DecodedLog {
  readonly records: LogRecord[];
  /** Bytes of the file that hold whole, valid records. */
  readonly validBytes: number;
  /** Set when the tail after `validBytes` is not a valid record. */
  readonly bad?: { readonly offset: number; readonly bytes: number; readonly reason: string; readonly validAfter: boolean };
}

/**
 * Reads records until the first one that is cut short or fails its checksum. Whether
 * any valid record follows a bad one is reported, because that separates a torn last
 * write (expected after a crash) from corruption in the middle (not expected).
 */
export function decodeLog(buf: Buffer): DecodedLog {
  const records: LogRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl < 0 ? buf.length : nl;
    const record = nl < 0 ? undefined : parseLine(buf.subarray(pos, end));
    if (!record) {
      const reason = nl < 0 ? 'record cut short (no line end)' : 'checksum or JSON mismatch';
      return { records, validBytes: pos, bad: { offset: pos, bytes: buf.length - pos, reason, validAfter: anyValidAfter(buf, end + 1) } };
    }
    records.push(record);
    pos = end + 1;
  }
  return { records, validBytes: pos };
}

function parseLine(line: Buffer): LogRecord | undefined {
  if (line.length < 9) return undefined;
  const want = Number.parseInt(line.subarray(0, 8).toString('ascii'), 16);
  const json = line.subarray(8);
  if (!Number.isFinite(want) || crc32(json) !== want) return undefined;
  try {
    const rec = JSON.parse(json.toString('utf8')) as LogRecord;
    return typeof rec === 'object' && rec !== null && typeof rec.t === 'string' ? rec : undefined;
  } catch {
    return undefined;
  }
}

function anyValidAfter(buf: Buffer, from: number): boolean {
  let pos = from;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) return false;
    if (parseLine(buf.subarray(pos, nl))) return true;
    pos = nl + 1;
  }
  return false;
}
