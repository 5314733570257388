/**
 * The inas settings file, as TypeScript declarations. This file is the single source of truth: the JSON Schema in
 * `schema.json` is generated from it (`npm run gen:schema`, ts-morph), and a test fails when the two drift.
 * JSDoc `@default` tags document the defaults; `@minimum`/`@exclusiveMinimum` tags become schema bounds.
 * Quantities are SI numbers; in files and flags they may also be written with units ("5 mF", "22 ohm", "2 KiB").
 */

/** Platform profile names. */
export const PLATFORM_PROFILES = ['msp430fr5994-extfram', 'msp430fr5994-fram'] as const;
export type PlatformProfileName = (typeof PLATFORM_PROFILES)[number];

/** Power supply type: intermittent (energy harvesting) or continuous. */
export const POWER_TYPES = ['int', 'cont'] as const;
export type PowerType = (typeof POWER_TYPES)[number];

/** Which latency constants to use: the original's (with its bug, reproduces the paper) or the corrected ones. */
export const COMPAT_MODES = ['tecs21', 'corrected'] as const;
export type CompatMode = (typeof COMPAT_MODES)[number];

/** Search-space families. */
export const FAMILIES = ['conv2d', 'conv1d', 'fc'] as const;
export type Family = (typeof FAMILIES)[number];

/** Dataset names. */
export const DATASETS = ['cifar10', 'har', 'kws', 'mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const CONTROLLERS = ['reinforce', 'evolution', 'random'] as const;
export type ControllerName = (typeof CONTROLLERS)[number];

export const EVALUATORS = ['train', 'supernet'] as const;
export type EvaluatorName = (typeof EVALUATORS)[number];

export const SUPERNET_SAMPLINGS = ['widest_first', 'uniform'] as const;
export type SupernetSampling = (typeof SUPERNET_SAMPLINGS)[number];

export const KERNEL_SHARINGS = ['separate', 'crop'] as const;
export type KernelSharing = (typeof KERNEL_SHARINGS)[number];

export const REWARDS = ['corrected', 'tecs21'] as const;
export type RewardName = (typeof REWARDS)[number];

export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The hardware platform and its energy supply. */
export interface PlatformSettings {
  /** Cost profile. @default "msp430fr5994-extfram" */
  profile: PlatformProfileName;
  /** Energy-buffer capacitance (F). @default 0.005 @exclusiveMinimum 0 */
  capacitance_f: number;
  /** Voltage at which the system turns on (V). @default 2.99 @exclusiveMinimum 0 */
  von_v: number;
  /** Voltage at which the system turns off (V). @default 2.8 @exclusiveMinimum 0 */
  voff_v: number;
  /** Harvester supply voltage (V). @default 3 @exclusiveMinimum 0 */
  vsup_v: number;
  /** Equivalent resistance of the energy-harvesting module (ohm). @default 300 @exclusiveMinimum 0 */
  harvester_resistance_ohm: number;
  /** Fraction of the capacitor energy assumed usable per power cycle. @default 0.55 @exclusiveMinimum 0 @maximum 1 */
  energy_margin: number;
  /** Volatile memory (SRAM/LEA) available for tile buffers (bytes). @default 2048 @exclusiveMinimum 0 */
  vm_capacity_bytes: number;
  /** Non-volatile memory capacity for weights and feature maps (bytes). @default 1000000 @exclusiveMinimum 0 */
  nvm_capacity_bytes: number;
  /** CPU clock (Hz). @default 16000000 @exclusiveMinimum 0 */
  clock_hz: number;
  /** Bytes per stored element (Q15). @default 2 @minimum 1 */
  data_size_bytes: number;
  /** Power type. @default "int" */
  power: PowerType;
  /** End-to-end latency requirement (s), or a percentile of random feasible children ("p50"). @default 100000 */
  latency_requirement_s: number | string;
  /** Latency constants of the cost model. @default "tecs21" */
  compat: CompatMode;
}

/** The architecture search space. */
export interface SearchSpaceSettings {
  /** Network family. @default "conv2d" */
  family: Family;
  /** Number of searched layers. @default 5 @minimum 1 */
  layers: number;
  /** Kernel-size choices (empty for the fc family). @default [1, 3, 5, 7] */
  kernel_sizes: number[];
  /** Filter (or unit) choices. @default [4, 8, 16, 24] */
  filters: number[];
  /** Input shape [H, W, C] (conv1d: [steps, 1, channels]; fc: [features, 1, 1]). @default [32, 32, 3] */
  input_shape: number[];
  /** Number of classes. @default 10 @minimum 2 */
  classes: number;
}

/** The dataset. */
export interface DatasetSettings {
  /** Dataset name. @default "cifar10" */
  name: DatasetName;
  /** Data folder (defaults to $INAS_DATA or ~/.cache/inas/data). @default "" */
  dir: string;
  /** Fraction of the training split held out for validation (seeded). @default 0.1 @minimum 0 @maximum 0.5 */
  validation_fraction: number;
  /** Use at most this many training samples (0 = all). @default 0 @minimum 0 */
  train_subset: number;
}

/** The search. */
export interface SearchSettings {
  /** Controller. @default "reinforce" */
  controller: ControllerName;
  /** Number of trials (children). @default 100 @minimum 1 */
  trials: number;
  /** Random seed. @default 1 */
  seed: number;
  /** Child evaluator. @default "supernet" */
  evaluator: EvaluatorName;
  /** Reward function. @default "corrected" */
  reward: RewardName;
  /** Probability of a uniformly random architecture (reinforce). @default 0.1 @minimum 0 @maximum 1 */
  exploration: number;
  /** LSTM cells of the controller. @default 32 @minimum 1 */
  controller_cells: number;
  /** Embedding size of the controller. @default 20 @minimum 1 */
  embedding_dim: number;
  /** Moving-average factor of the accuracy baseline. @default 0.8 @minimum 0 @maximum 1 */
  accuracy_beta: number;
  /** Weight of faulty accuracy in the reward (0 = off). @default 0 @minimum 0 @maximum 1 */
  fault_alpha: number;
  /** Bit error rate used by the fault-tolerant reward. @default 0.001 @minimum 0 @maximum 1 */
  fault_ber: number;
  supernet: SupernetSettings;
}

/** The weight-sharing supernet of the "supernet" evaluator (trained once per search; children inherit its weights). */
export interface SupernetSettings {
  /** Supernet training epochs (over the training split). @default 3 @minimum 1 */
  epochs: number;
  /** Adam learning rate of the shared weights. @default 0.01 @exclusiveMinimum 0 */
  learning_rate: number;
  /** Epochs at the start that train only the widest child (largest kernels, most filters). @default 0 @minimum 0 */
  warmup_epochs: number;
  /** Child paths trained per batch, one Adam step each. @default 3 @minimum 1 */
  paths_per_batch: number;
  /** Path sampling: "widest_first" (per batch the widest child, then uniformly drawn valid children) or "uniform" (only uniformly drawn valid children). @default "widest_first" */
  sampling: SupernetSampling;
  /** In-place distillation: with "widest_first", the other paths of a batch learn from the widest child's predictions (90 %) and the labels (10 %). @default true */
  distill: boolean;
  /** Leaky-ReLU slope at the start of supernet training, annealed linearly to 0 by the last epoch (keeps narrow paths from dying; children use ReLU). @default 0.2 @minimum 0 @maximum 1 */
  leaky_slope: number;
  /** Head re-fitting: a child's head is fitted by ridge regression on its inherited features of this many training samples (0 = use the sliced supernet head). @default 1000 @minimum 0 */
  head_refit_samples: number;
  /** Kernel sharing between kernel sizes: "separate" (one kernel per size and layer; filters shared by slicing) or "crop" (one largest kernel, center-cropped). @default "crop" */
  kernel_sharing: KernelSharing;
}

/** Child training. */
export interface TrainingSettings {
  /** Epochs per child. @default 25 @minimum 1 */
  epochs: number;
  /** Batch size. @default 256 @minimum 1 */
  batch_size: number;
  /** Adam learning rate. @default 0.001 @exclusiveMinimum 0 */
  learning_rate: number;
  /** Early-stopping patience in epochs (0 = off). @default 5 @minimum 0 */
  patience: number;
  /** Compute backend. @default "auto" */
  backend: BackendName;
  /** Random bit error training: bit error rate applied to weights during training (0 = off). @default 0 @minimum 0 @maximum 1 */
  bit_error_rate: number;
  /** Weight clipping for bit-error robustness: weights projected into [-w, w] after every step (0 = off). @default 0 @minimum 0 */
  weight_clip: number;
  /** Curriculum of random bit error training: the rate ramps up linearly over this many epochs (0 = full rate from the start). @default 0 @minimum 0 */
  bit_error_ramp_epochs: number;
  /** Deployed weight word width: 16 (Q15) or 8 (int8 weights, Q15 activations). Used by fault-aware training (bit flips on this width), the fault-tolerant reward and packaging (`inas train`, the search's best.json). @default 16 */
  weight_bits: 16 | 8;
}

/** Output paths. */
export interface OutputSettings {
  /** Output folder of searches and dumps. @default "solution_dump" */
  dir: string;
}

/** A complete, resolved settings file. */
export interface InasSettings {
  /** Settings format version. @default 1 */
  schema_version: number;
  /** A name for runs made with these settings. @default "" */
  name: string;
  platform: PlatformSettings;
  search_space: SearchSpaceSettings;
  dataset: DatasetSettings;
  search: SearchSettings;
  training: TrainingSettings;
  output: OutputSettings;
}
