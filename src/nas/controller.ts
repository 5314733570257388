/**
 * The controller facade: one interface over REINFORCE, regularized evolution and random search. Every controller
 * draws randomness only from the search's seeded `Rng` and serialises its whole state, so a search resumes exactly.
 */
import type { ControllerName, Rng } from '../settings/index.ts';
import { createEvolution, type EvolutionOptions, type EvolutionState } from './evolution.ts';
import { createReinforce, type ReinforceOptions, type ReinforceState } from './reinforce.ts';
import { randomIndices, type ActionSpace } from './space.ts';

/** What a controller learns from after each trial. */
export interface Observation {
  readonly indices: readonly number[];
  /** The reward (baseline-relative; REINFORCE uses it). */
  readonly reward: number;
  /** A stationary objective: accuracy of a trained child, the (negative) penalty of a gated one (evolution uses it). */
  readonly objective: number;
}

export type ControllerState = ReinforceState | EvolutionState | { readonly kind: 'random' };

export interface Controller {
  readonly name: ControllerName;
  propose(rng: Rng): number[];
  observe(obs: Observation): void;
  save(): ControllerState;
}

export interface ControllerOptions {
  readonly reinforce?: Partial<ReinforceOptions>;
  readonly evolution?: Partial<EvolutionOptions>;
}

/** Creates a controller, or restores it from `saved` (whose kind must match `name`). */
export function createController(name: ControllerName, space: ActionSpace, rng: Rng, opts: ControllerOptions = {}, saved?: ControllerState): Controller {
  if (saved && saved.kind !== name) throw new Error(`saved controller state is ${saved.kind}, not ${name}`);
  switch (name) {
    case 'reinforce': {
      const c = createReinforce(space, rng, opts.reinforce ?? {}, saved as ReinforceState | undefined);
      return { name, propose: (r) => c.propose(r), observe: (o) => c.observe(o.indices, o.reward), save: () => c.save() };
    }
    case 'evolution': {
      const c = createEvolution(space, opts.evolution ?? {}, saved as EvolutionState | undefined);
      return { name, propose: (r) => c.propose(r), observe: (o) => c.observe(o.indices, o.objective), save: () => c.save() };
    }
    case 'random':
      return { name, propose: (r) => randomIndices(space, r), observe: () => undefined, save: () => ({ kind: 'random' }) };
  }
}
