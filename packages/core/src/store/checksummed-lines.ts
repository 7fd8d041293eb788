import { crc32 } from './crc32';

const NEWLINE = Buffer.from('\n');

/**
 * One record as a line `<crc32 as 8 hex digits><json>\n`, the checksum over the JSON's
 * UTF-8 bytes: the framing of the file store's log and of the outage journal.
 */
export function encodeChecksummedLine(record: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const head = Buffer.from(crc32(json).toString(16).padStart(8, '0'), 'ascii');
  return Buffer.concat([head, json, NEWLINE]);
}

/** What {@link decodeChecksummedLines} read. */
export interface DecodedLines<T> {
  readonly records: T[];
  /** Bytes of the buffer that hold whole, valid records. */
  readonly validBytes: number;
  /** The first bad record, and whether a valid one follows it (corruption, not a torn last write). */
  readonly bad?: { readonly offset: number; readonly bytes: number; readonly reason: string; readonly validAfter: boolean };
}

/**
 * Reads records up to the first that is cut short, fails its checksum or is not of the
 * expected shape (`isRecord`). A bad record with nothing valid after it is the torn last
 * append of a crash; one followed by valid records is corruption, which callers refuse.
 */
export function decodeChecksummedLines<T>(buf: Buffer, isRecord: (value: unknown) => value is T): DecodedLines<T> {
  const records: T[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl < 0 ? buf.length : nl;
    const record = nl < 0 ? undefined : parseLine(buf.subarray(pos, end), isRecord);
    if (record === undefined) {
      const reason = nl < 0 ? 'record cut short (no line end)' : 'checksum or JSON mismatch';
      return { records, validBytes: pos, bad: { offset: pos, bytes: buf.length - pos, reason, validAfter: anyValidAfter(buf, end + 1, isRecord) } };
    }
    records.push(record);
    pos = end + 1;
  }
  return { records, validBytes: pos };
}

function parseLine<T>(line: Buffer, isRecord: (value: unknown) => value is T): T | undefined {
  if (line.length < 9) return undefined;
  const want = Number.parseInt(line.subarray(0, 8).toString('ascii'), 16);
  const json = line.subarray(8);
  if (!Number.isFinite(want) || crc32(json) !== want) return undefined;
  try {
    const value: unknown = JSON.parse(json.toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function anyValidAfter<T>(buf: Buffer, from: number, isRecord: (value: unknown) => value is T): boolean {
  let pos = from;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) return false;
    if (parseLine(buf.subarray(pos, nl), isRecord) !== undefined) return true;
    pos = nl + 1;
  }
  return false;
}
