import { describe, expect, it } from 'vitest';
import { extremeAge, extremeHot, extremeStep } from '../src/kernels/steps.js';
import { extremeScratch, RESCAN_MAX_PERIOD, rebuildExtreme, windowExtremes, windowExtremesWithAge } from '../src/kernels/window-extremes.js';

/** A seeded random walk with flat stretches (ties) and spikes. */
function walk(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float64Array(n);
  let v = 100;
  for (let i = 0; i < n; i++) {
    const u = rnd();
    // Below 0.15 the value repeats (ties in the window); a few spikes.
    if (u >= 0.17) v *= 1 + (rnd() - 0.5) * 0.02;
    else if (u >= 0.15) v *= 1.2;
    x[i] = v;
  }
  return x;
}

/** Bars since the window's extreme, the newest of equal ones. */
function naiveAge(x: Float64Array, i: number, period: number, sign: number): number {
  const m = naive(x, i, period, sign);
  for (let k = i; ; k--) if (x[k] === m) return i - k;
}

function naive(x: Float64Array, i: number, period: number, sign: number): number {
  let m = x[i]!;
  for (let k = i - period + 1; k < i; k++) m = sign > 0 ? Math.max(m, x[k]!) : Math.min(m, x[k]!);
  return m;
}

describe('windowExtremes (van Herk / Gil-Werman)', () => {
  it('gives every window its max and min (and, up to RESCAN_MAX_PERIOD, its age), whatever the block alignment', () => {
    // On a walk and on a falling series (where the rescan scans every bar).
    const falling = Float64Array.from({ length: 700 }, (_, i) => 1000 - i);
    for (const period of [1, 2, 3, 5, 14, RESCAN_MAX_PERIOD, RESCAN_MAX_PERIOD + 1, 52]) {
      for (const x of [walk(700, period), falling]) {
        for (const lo of [0, 3, 17]) {
          for (const from of [lo + period - 1, lo + period + 4, lo + 3 * period + 1]) {
            for (const sign of [1, -1]) {
              const to = Math.min(x.length, from + 300);
              const scratch = extremeScratch(period, to - from);
              windowExtremes(x, lo, from, to, period, sign, scratch);
              for (let i = from; i < to; i++) expect(scratch.values[i - from], `p${period} lo${lo} from${from} sign${sign} i${i}`).toBe(naive(x, i, period, sign));
              if (period > RESCAN_MAX_PERIOD) continue;
              const aged = extremeScratch(period, to - from, true);
              windowExtremesWithAge(x, from, to, period, sign, aged);
              for (let i = from; i < to; i++) {
                expect(aged.values[i - from], `aged p${period} i${i}`).toBe(naive(x, i, period, sign));
                expect(aged.ages[i - from], `age p${period} i${i}`).toBe(naiveAge(x, i, period, sign));
              }
            }
          }
        }
      }
    }
  });

  it('rebuilds the deque exactly as stepping every value would leave it', () => {
    for (const period of [1, 4, 14, 30]) {
      for (const sign of [1, -1]) {
        const x = walk(400, 7 * period + sign);
        const cut = 250;
        const stepped = new Float64Array(extremeHot(period));
        for (let i = 0; i < cut; i++) extremeStep(stepped, 0, period, sign, x[i]!);
        const rebuilt = new Float64Array(extremeHot(period));
        rebuildExtreme(rebuilt, 0, period, sign, x, cut, cut);
        // Same count, and from here on the same answers, ages included.
        expect(rebuilt[0]).toBe(stepped[0]);
        for (let i = cut; i < x.length; i++) {
          const a = extremeStep(stepped, 0, period, sign, x[i]!);
          const b = extremeStep(rebuilt, 0, period, sign, x[i]!);
          expect(b, `p${period} sign${sign} i${i}`).toBe(a);
          expect(b).toBe(naive(x, i, period, sign));
          expect(extremeAge(rebuilt, 0), `age p${period} sign${sign} i${i}`).toBe(extremeAge(stepped, 0));
        }
      }
    }
  });
});
