import { DataError } from '@kairos/core';

const MODE_FLOAT = 0;
const MODE_DECIMAL = 1;
const MAX_SCALE_DIGITS = 12;
/** Scaled integers stay below this so zigzag deltas remain exact doubles (< 2^53). */
const MAX_SCALED = 2 ** 50;

/**
 * The smallest number of decimal digits `k` such that every value is exactly
 * `round(v·10^k) / 10^k`, i.e. the values are short decimals (as exchange prices and
 * volumes are); undefined when no `k` up to 12 fits.
 */
function decimalDigits(values: Float64Array): number | undefined {
  outer: for (let k = 0; k <= MAX_SCALE_DIGITS; k++) {
    const scale = 10 ** k;
    for (const v of values) {
      const scaled = Math.round(v * scale);
      if (!(Math.abs(scaled) < MAX_SCALED) || !Object.is(scaled / scale, v)) continue outer;
    }
    return k;
  }
  return undefined;
}

function pushVarint(out: number[], z: number): void {
  // Arithmetic, not bit operators: z may exceed 32 bits.
  while (z >= 128) {
    out.push((z % 128) + 128);
    z = Math.floor(z / 128);
  }
  out.push(z);
}

/**
 * Encodes a column of numbers losslessly. Short decimals (the common case) become
 * integers scaled by 10^k, stored as zigzag varint deltas from the previous value, which
 * deflate shrinks to a few bits per row; anything else is stored as float64 with bytes
 * transposed (all first bytes, then all second bytes, ...) so that shared exponent
 * bytes line up. Layout: mode byte, digits byte, payload.
 */
export function encodeColumn(values: Float64Array): Buffer {
  const k = decimalDigits(values);
  if (k !== undefined) {
    const scale = 10 ** k;
    const bytes: number[] = [MODE_DECIMAL, k];
    let prev = 0;
    for (const v of values) {
      const scaled = Math.round(v * scale);
      const d = scaled - prev;
      pushVarint(bytes, d >= 0 ? 2 * d : -2 * d - 1);
      prev = scaled;
    }
    return Buffer.from(bytes);
  }
  const n = values.length;
  const src = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(2 + 8 * n);
  out[0] = MODE_FLOAT;
  for (let i = 0; i < n; i++) for (let b = 0; b < 8; b++) out[2 + b * n + i] = src[i * 8 + b] as number;
  return out;
}

/** Decodes `n` values written by {@link encodeColumn} starting at `offset`; returns them and where they end. */
export function decodeColumn(buf: Buffer, offset: number, n: number, source: string): { values: Float64Array; end: number } {
  const fail = (why: string): never => {
    throw new DataError(`${source}: ${why}`, { source });
  };
  const mode = buf[offset];
  const k = buf[offset + 1];
  if (mode === undefined || k === undefined) return fail('column header missing');
  let pos = offset + 2;
  const values = new Float64Array(n);
  if (mode === MODE_DECIMAL) {
    if (k > MAX_SCALE_DIGITS) fail(`bad decimal digits ${k}`);
    const scale = 10 ** k;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      let z = 0;
      let mul = 1;
      for (let j = 0; ; j++) {
        const b = buf[pos++];
        if (b === undefined || j > 8) return fail(`truncated or overlong number at row ${i + 1}`);
        z += (b % 128) * mul;
        mul *= 128;
        if (b < 128) break;
      }
      prev += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      values[i] = prev / scale;
    }
    return { values, end: pos };
  }
  if (mode !== MODE_FLOAT) fail(`unknown column mode ${mode}`);
  if (buf.length < pos + 8 * n) fail('float column truncated');
  const bytes = new Uint8Array(values.buffer);
  for (let i = 0; i < n; i++) for (let b = 0; b < 8; b++) bytes[i * 8 + b] = buf[pos + b * n + i] as number;
  return { values, end: pos + 8 * n };
}
