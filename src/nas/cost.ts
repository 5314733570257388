/** The explorer as the search's cost function (cached per architecture), and the platform of a search's mode. */
import type { Network } from '../network/index.ts';
import type { InasSettings, PowerType, Result } from '../settings/index.ts';
import { createPlatform, type Platform } from '../platform/index.ts';
import { exploreNetwork } from '../explorer/index.ts';
import type { CostFn, ExplorationLike } from './gate.ts';
import { archKey } from './space.ts';

/** The explorer as a cost function under `power`, cached per architecture (feasible = every layer has a design). */
export function explorerCost(platform: Platform, power: PowerType): CostFn {
  const cache = new Map<string, ExplorationLike>();
  return (net: Network) => {
    const key = archKey(net.arch);
    const hit = cache.get(key);
    if (hit) return hit;
    const ex = exploreNetwork(net, platform, { power, latencyRequirementS: null });
    const v: ExplorationLike = { ...ex, feasible: ex.layers_feasible };
    cache.set(key, v);
    return v;
  };
}

/** Creates the platform of a search's settings under its mode. */
export function platformFor(s: InasSettings, mode: PowerType): Result<Platform> {
  return createPlatform({ ...s.platform, power: mode });
}
