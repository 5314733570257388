/**
 * Statistics of fault-injection campaigns: the sample size for a margin and confidence (Leveugle et al., DATE 2009,
 * with the finite-population correction), Wilson score intervals for proportions, and the rule of three.
 */

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const poly = (k: number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5, r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Two-sided critical value t for a confidence level (0.95 → 1.96, 0.99 → 2.576). */
export function criticalValue(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Leveugle et al. 2009: runs needed so that an estimated proportion lies within ±margin of the truth with the given
 * confidence, for a fault population of `population` (Infinity for none) and an expected proportion p (0.5 = worst).
 * n = N / (1 + e²(N − 1) / (t² p (1 − p))).
 */
export function leveugleSampleSize(margin: number, confidence: number, population = Infinity, p = 0.5): number {
  const t = criticalValue(confidence);
  const inf = (t * t * p * (1 - p)) / (margin * margin);
  if (!Number.isFinite(population)) return Math.ceil(inf);
  return Math.ceil(population / (1 + (margin * margin * (population - 1)) / (t * t * p * (1 - p))));
}

/** Wilson score interval for `successes` out of `n` at a confidence level. */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): [number, number] {
  if (n <= 0) return [0, 1];
  const z = criticalValue(confidence);
  const phat = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (phat + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((phat * (1 - phat)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Rule of three: with 0 events in n runs, the 95 % upper bound of the rate is 3/n. */
export function ruleOfThree(n: number): number {
  return n > 0 ? Math.min(1, 3 / n) : 1;
}

/** Percentile (linear interpolation) of a sample. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return (s[lo] ?? NaN) + ((s[hi] ?? NaN) - (s[lo] ?? NaN)) * (pos - lo);
}
