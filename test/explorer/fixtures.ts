/** Shared fixtures of the explorer tests: the three search spaces of the published runs and platform builders. */
import { buildNetwork, type Network } from '../../src/network/index.ts';
import { createPlatform, type Platform } from '../../src/platform/index.ts';
import { DEFAULT_SETTINGS, type PlatformSettings, type SearchSpaceSettings } from '../../src/settings/index.ts';
import type { GoldenSolution } from './appendix_a.ts';

/** Search spaces of the original eval configs (reference §3.2, §4.3). */
export const SPACES: Record<'cifar' | 'har' | 'kws', SearchSpaceSettings> = {
  cifar: DEFAULT_SETTINGS.search_space,
  har: { family: 'conv1d', layers: 3, kernel_sizes: [1, 3, 5, 7], filters: [4, 8, 16, 24], input_shape: [128, 1, 9], classes: 6 },
  kws: { family: 'fc', layers: 4, kernel_sizes: [], filters: [48, 64, 96, 128], input_shape: [250, 1, 1], classes: 12 },
};

export function net(space: keyof typeof SPACES, arch: readonly number[]): Network {
  const r = buildNetwork(arch, SPACES[space]);
  if (!r.ok) throw new Error(`buildNetwork ${arch}: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.value;
}

export function platform(over: Partial<PlatformSettings> = {}): Platform {
  const r = createPlatform({ ...DEFAULT_SETTINGS.platform, ...over });
  if (!r.ok) throw new Error(`createPlatform: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.value;
}

/** The platform of a golden row: settings.py defaults + its capacitor, REHM, margin and power type. */
export function goldenPlatform(g: GoldenSolution, over: Partial<PlatformSettings> = {}): Platform {
  return platform({
    power: g.power,
    ...(g.capacitance_f !== null ? { capacitance_f: g.capacitance_f } : {}),
    ...(g.resistance_ohm !== null ? { harvester_resistance_ohm: g.resistance_ohm } : {}),
    ...(g.margin !== null ? { energy_margin: g.margin } : {}),
    ...over,
  });
}
