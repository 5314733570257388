/**
 * Action-space helpers: controllers work with one choice index per position of the action vector; the search maps
 * indices to the action vector values of the search space (reference §3.2).
 */
import type { Rng } from '../settings/index.ts';

/** The search space as the controllers see it: number of choices per position and the values behind them. */
export interface ActionSpace {
  /** Values per position, e.g. [[1,3,5,7],[4,8,16,24],…]. */
  readonly choices: readonly (readonly number[])[];
  /** State type of each position (0 = kernel, 1 = filters/units): positions of one type share an embedding. */
  readonly stateTypes: readonly number[];
}

/** Builds the action space from per-position choices; `family` 'fc' has one state type, conv families two. */
export function createActionSpace(choices: readonly (readonly number[])[], fc: boolean): ActionSpace {
  return { choices: choices.map((c) => [...c]), stateTypes: choices.map((_, i) => (fc ? 0 : i % 2)) };
}

/** Maps choice indices to action-vector values. */
export function indicesToArch(space: ActionSpace, indices: readonly number[]): number[] {
  return indices.map((ix, pos) => {
    const v = space.choices[pos]?.[ix];
    if (v === undefined) throw new Error(`choice index ${ix} out of range at position ${pos}`);
    return v;
  });
}

/** Maps action-vector values back to choice indices (-1 when a value is not a choice). */
export function archToIndices(space: ActionSpace, arch: readonly number[]): number[] {
  return arch.map((v, pos) => (space.choices[pos] ?? []).indexOf(v));
}

/** A uniformly random architecture (choice indices). */
export function randomIndices(space: ActionSpace, rng: Rng): number[] {
  return space.choices.map((c) => rng.int(c.length));
}

/** The cache key of an architecture. */
export function archKey(arch: readonly number[]): string {
  return arch.join(',');
}
