/**
 * Regularized evolution (Real et al., AAAI 2019): a population of the most recent P children; each new child is a
 * one-position mutation of the best of S members sampled uniformly (tournament); the oldest member dies when a new
 * one arrives (aging). The first P proposals are uniformly random. Fitness is a stationary objective (accuracy for a
 * trained child, the gating penalty otherwise), not the baseline-relative reward.
 */
import type { Rng } from '../settings/index.ts';
import { randomIndices, type ActionSpace } from './space.ts';

export interface EvolutionOptions {
  /** Population size P. */
  readonly population: number;
  /** Tournament sample size S. */
  readonly sample: number;
}

export const DEFAULT_EVOLUTION_OPTIONS: EvolutionOptions = { population: 20, sample: 5 };

export interface EvolutionState {
  readonly kind: 'evolution';
  readonly options: EvolutionOptions;
  /** Oldest first. */
  readonly population: { readonly indices: number[]; readonly fitness: number }[];
}

export interface EvolutionController {
  propose(rng: Rng): number[];
  observe(indices: readonly number[], fitness: number): void;
  save(): EvolutionState;
}

/** Mutates one position of `parent` to a different choice (positions with a single choice are skipped). */
export function mutate(space: ActionSpace, parent: readonly number[], rng: Rng): number[] {
  const child = [...parent];
  const mutable = space.choices.map((c, i) => (c.length > 1 ? i : -1)).filter((i) => i >= 0);
  if (mutable.length === 0) return child;
  const pos = mutable[rng.int(mutable.length)] ?? 0;
  const n = space.choices[pos]?.length ?? 1;
  const cur = child[pos] ?? 0;
  child[pos] = (cur + 1 + rng.int(n - 1)) % n;
  return child;
}

/** Creates (or restores) a regularized-evolution controller. */
export function createEvolution(space: ActionSpace, options: Partial<EvolutionOptions> = {}, saved?: EvolutionState): EvolutionController {
  const opt: EvolutionOptions = saved ? saved.options : { ...DEFAULT_EVOLUTION_OPTIONS, ...options };
  const pop: { indices: number[]; fitness: number }[] = saved ? saved.population.map((m) => ({ indices: [...m.indices], fitness: m.fitness })) : [];
  return {
    propose(rng) {
      if (pop.length < opt.population) return randomIndices(space, rng);
      let best: { indices: number[]; fitness: number } | null = null;
      for (let s = 0; s < Math.min(opt.sample, pop.length); s++) {
        const m = pop[rng.int(pop.length)];
        if (m && (best === null || m.fitness > best.fitness)) best = m;
      }
      return mutate(space, best?.indices ?? randomIndices(space, rng), rng);
    },
    observe(indices, fitness) {
      pop.push({ indices: [...indices], fitness });
      while (pop.length > opt.population) pop.shift();
    },
    save() {
      return { kind: 'evolution', options: opt, population: pop.map((m) => ({ indices: [...m.indices], fitness: m.fitness })) };
    },
  };
}
