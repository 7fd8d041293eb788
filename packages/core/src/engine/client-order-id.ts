/** 32-bit FNV-1a, for short stable ids. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 36^5: below it a number is a small integer, which V8 writes in base 36 quickly. */
const CHUNK = 60_466_176;

/**
 * `n.toString(36)`. A millisecond time is past the small-integer range, where V8 takes
 * its general (fraction-capable) radix conversion, several times slower: an integer is
 * cut into five-digit chunks that each convert fast, giving the same text.
 */
function base36(n: number): string {
  if (n < CHUNK || !Number.isSafeInteger(n)) return n.toString(36);
  const high = Math.floor(n / CHUNK);
  return base36(high) + (n - high * CHUNK).toString(36).padStart(5, '0');
}

/**
 * A deterministic client order id: the same user, symbol, decision time and purpose
 * always give the same id, so re-running a decision after a crash cannot place a
 * second order. At most 22 characters (exchanges allow 32–36).
 */
export function makeClientOrderId(userId: string, symbol: string, time: number, purpose: 'entry' | 'exit', attempt = 0): string {
  const h = base36(fnv1a(`${userId}|${symbol}`)).padStart(7, '0');
  return `k${h}${base36(time)}${purpose === 'entry' ? 'e' : 'x'}${base36(attempt)}`;
}
