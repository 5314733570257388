/** Kendall rank correlation τ-b (ties handled), for validating supernet accuracy against stand-alone accuracy. */

/** τ-b of two equally long samples; NaN for fewer than 2 pairs or a constant sample. */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error('kendallTau: samples differ in length');
  let concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign((a[i] ?? 0) - (a[j] ?? 0)), db = Math.sign((b[i] ?? 0) - (b[j] ?? 0));
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return denom > 0 ? (concordant - discordant) / denom : NaN;
}
