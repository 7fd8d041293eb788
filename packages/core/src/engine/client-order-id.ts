/** 32-bit FNV-1a, for short stable ids. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic client order id: the same user, symbol, decision time and purpose
 * always give the same id, so re-running a decision after a crash cannot place a
 * second order. At most 22 characters (exchanges allow 32–36).
 */
export function makeClientOrderId(userId: string, symbol: string, time: number, purpose: 'entry' | 'exit', attempt = 0): string {
  const h = fnv1a(`${userId}|${symbol}`).toString(36).padStart(7, '0');
  return `k${h}${time.toString(36)}${purpose === 'entry' ? 'e' : 'x'}${attempt.toString(36)}`;
}
