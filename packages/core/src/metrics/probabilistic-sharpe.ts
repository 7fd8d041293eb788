import { mean } from './risk-adjusted';

/**
 * Standard normal cumulative distribution Φ(x), through a Chebyshev fit of erfc
 * (fractional error below 1.2e-7 everywhere): plenty for a probability reported in percent.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * Probabilistic Sharpe ratio (Bailey & López de Prado): the probability that the true
 * per-sample Sharpe ratio exceeds `benchmark`, given n returns with skewness γ3 and
 * (non-excess) kurtosis γ4:
 *
 * `PSR = Φ( (SR − SR*)·√(n − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²) )`
 *
 * SR is the non-annualised ratio (mean / sample stdev); moments are population moments.
 * Returns a probability in [0, 1]; 0 when there are fewer than two returns or they do
 * not vary (no evidence either way is reported as no confidence).
 */
export function probabilisticSharpe(returns: ArrayLike<number>, benchmark = 0): number {
  const n = returns.length;
  if (n < 2) return 0;
  const m = mean(returns);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (returns[i] as number) - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (!(m2 > 0)) return 0;
  const sd = Math.sqrt((m2 * n) / (n - 1));
  const sr = m / sd;
  const skew = m3 / m2 ** 1.5;
  const kurt = m4 / (m2 * m2);
  // The variance term can dip below zero for extreme skew; floor it so Φ stays defined.
  const denom = Math.sqrt(Math.max(1e-12, 1 - skew * sr + ((kurt - 1) / 4) * sr * sr));
  return normalCdf(((sr - benchmark) * Math.sqrt(n - 1)) / denom);
}
