/**
 * Carving the validation split from the official training data (seeded), and `train_subset`.
 *
 * The training data is permuted with the seed; the first min(N, train_subset or N) samples of that permutation
 * form the pool; the first round(validation_fraction · pool) of the pool are validation, the rest train. So
 * `train_subset` bounds the work of both train and validation, and the test split (the official one) is untouched.
 */
import type { Split } from './types.ts';
import { permutation, permuteSplit } from './mnist_npm.ts';

/** Sizes of the carved splits. */
export function splitSizes(n: number, validationFraction: number, trainSubset: number): { pool: number; validation: number; train: number } {
  const pool = trainSubset > 0 ? Math.min(n, Math.floor(trainSubset)) : n;
  const validation = Math.min(pool, Math.round(validationFraction * pool));
  return { pool, validation, train: pool - validation };
}

/** Splits `train` into (train, validation) with a seeded permutation. */
export function carveValidation(train: Split, validationFraction: number, trainSubset: number, seed: number): { train: Split; validation: Split } {
  const sizes = splitSizes(train.count, validationFraction, trainSubset);
  const perm = permutation(train.count, seed).subarray(0, sizes.pool);
  return {
    validation: permuteSplit(train, perm.subarray(0, sizes.validation)),
    train: permuteSplit(train, perm.subarray(sizes.validation)),
  };
}
