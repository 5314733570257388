/** Where datasets live: the data folder and one sub-folder per dataset. */
import os from 'node:os';
import path from 'node:path';
import type { DatasetName } from '../settings/index.ts';

/** Names accepted by `inas data fetch` (the official distribution names). */
export const FETCH_NAMES = ['cifar10', 'har', 'speech-commands', 'mnist', 'fashion-mnist'] as const;
export type FetchName = (typeof FETCH_NAMES)[number];

/** The data folder: $INAS_DATA, else ~/.cache/inas/data. */
export function defaultDataDir(): string {
  const env = process.env['INAS_DATA'];
  if (env !== undefined && env !== '') return path.resolve(env);
  return path.join(os.homedir(), '.cache', 'inas', 'data');
}

/** The data folder for a settings `dataset.dir` value ("" means the default). */
export function resolveDataDir(dir: string | undefined): string {
  return dir !== undefined && dir !== '' ? path.resolve(dir) : defaultDataDir();
}

/** The distribution (fetch) name that provides a dataset. */
export function fetchNameOf(name: DatasetName): FetchName {
  return name === 'kws' ? 'speech-commands' : name;
}

/** The dataset a distribution provides. */
export function datasetOfFetchName(name: FetchName): DatasetName {
  return name === 'speech-commands' ? 'kws' : name;
}

/** The sub-folder of the data folder that holds one distribution. */
export function datasetFolder(dataDir: string, name: FetchName): string {
  return path.join(dataDir, name);
}

/** The exact command that downloads a distribution into `dataDir` (adds --dir unless it is the default folder). */
export function fetchCommand(name: FetchName, dataDir: string): string {
  const dflt = defaultDataDir();
  const dirArg = path.resolve(dataDir) === dflt ? '' : ` --dir ${/\s/.test(dataDir) ? JSON.stringify(dataDir) : dataDir}`;
  return `inas data fetch ${name}${dirArg}`;
}

/** Folder of the Debian package `dataset-fashion-mnist`. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
