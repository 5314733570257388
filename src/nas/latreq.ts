/**
 * Latency requirement: seconds, or a percentile of the latencies of randomly sampled feasible children ("p50"),
 * as the original derived its TS1..TS3 (reference §4.5: 25/50/75-percentiles of random feasible children).
 */
import { archChoices, buildNetwork, checkNvm } from '../network/index.ts';
import { createRng, fail, issue, ok, type PlatformSettings, type Result, type SearchSpaceSettings } from '../settings/index.ts';
import type { CostFn } from './gate.ts';

/** Parses "p50" / "P25" into 50 / 25; null when `v` is not a percentile string. */
export function parsePercentile(v: string): number | null {
  const m = /^p(\d+(?:\.\d+)?)$/i.exec(v.trim());
  if (!m) return null;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? p : null;
}

/** Linear-interpolated percentile (p in 0..100) of sorted values (numpy's default). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN, b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export interface LatencyRequirement {
  readonly latency_s: number;
  /** "p50" etc., or null when given in seconds. */
  readonly percentile: string | null;
  /** Feasible samples used (percentile only). */
  readonly samples: number;
  readonly drawn: number;
}

/**
 * Resolves the latency requirement. For a percentile, draws random architectures with `seed` until `samples`
 * feasible ones (or `maxDraws` draws) have been costed, and takes the percentile of their latencies.
 */
export function resolveLatencyRequirement(value: number | string, space: SearchSpaceSettings, platform: PlatformSettings, cost: CostFn,
  opts: { seed: number; samples: number; maxDraws?: number }): Result<LatencyRequirement> {
  if (typeof value === 'number') {
    if (!(value > 0)) return fail(issue('invalid_value', 'platform.latency_requirement_s', `expected a positive number of seconds or a percentile like "p50", got ${value}`));
    return ok({ latency_s: value, percentile: null, samples: 0, drawn: 0 });
  }
  const asNum = Number(value);
  if (value.trim() !== '' && Number.isFinite(asNum)) return resolveLatencyRequirement(asNum, space, platform, cost, opts);
  const p = parsePercentile(value);
  if (p === null) return fail(issue('invalid_value', 'platform.latency_requirement_s', `expected seconds or a percentile like "p50", got "${value}"`));
  const rng = createRng(opts.seed);
  const choices = archChoices(space);
  const maxDraws = opts.maxDraws ?? opts.samples * 20;
  const lat: number[] = [];
  let drawn = 0;
  while (lat.length < opts.samples && drawn < maxDraws) {
    drawn++;
    const arch = choices.map((c) => c[rng.int(c.length)] ?? 0);
    const net = buildNetwork(arch, space);
    if (!net.ok || !checkNvm(net.value, platform.data_size_bytes, platform.nvm_capacity_bytes).ok) continue;
    const ex = cost(net.value);
    if (ex.feasible && ex.latency_s !== null) lat.push(ex.latency_s);
  }
  if (lat.length === 0) {
    return fail(issue('latency_requirement', 'platform.latency_requirement_s',
      `no feasible child among ${drawn} random architectures, so the percentile "${value}" is undefined`, { drawn }));
  }
  lat.sort((a, b) => a - b);
  return ok({ latency_s: percentile(lat, p), percentile: value.trim().toLowerCase(), samples: lat.length, drawn });
}
