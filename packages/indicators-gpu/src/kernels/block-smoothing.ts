/**
 * Coefficients of exponential smoothing `v = b*v + a*x` run in blocks of four bars
 * (EMA with a = 2/(period+1), Wilder's with a = 1/period): bar k of a block is
 * `b^(k+1) * v + c_k` with `c_k = a*x_k + b*c_(k-1)`. Kernel and stream must take the
 * powers from here so that both compute them the same way, bit for bit.
 */
export interface BlockCoefficients {
  readonly a: number;
  readonly b: number;
  readonly b2: number;
  readonly b3: number;
  readonly b4: number;
}

/** The coefficients for smoothing factor `a`. */
export function blockCoefficients(a: number): BlockCoefficients {
  const b = 1 - a;
  const b2 = b * b;
  const b3 = b2 * b;
  return { a, b, b2, b3, b4: b3 * b };
}
