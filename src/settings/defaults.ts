/**
 * Default settings. Every setting that has an original iNAS key takes the original `Settings` class default (reference
 * §4.1, in inas units), except `output.dir` (inas's folder layout; the original's TRIAL_LOG_DIR is "trial_log"). Three
 * defaults are inas's own, not the original's behaviour: `search.evaluator` "supernet" (the original trains every
 * child: "train"), `search.reward` "corrected" (the original's: "tecs21") and `training.patience` 5 (the original has
 * no early stopping: 0); an imported original file gets the original's three. The other settings (profile, compat,
 * dataset folder, supernet, fault-aware training, …) exist only in inas. test/settings/load.test.ts checks all this.
 */
import type { InasSettings } from './types.ts';

export const DEFAULT_SETTINGS: InasSettings = {
  schema_version: 1,
  name: '',
  platform: {
    profile: 'msp430fr5994-extfram',
    capacitance_f: 0.005,
    von_v: 2.99,
    voff_v: 2.8,
    vsup_v: 3.0,
    harvester_resistance_ohm: 300,
    energy_margin: 0.55,
    vm_capacity_bytes: 2048,
    nvm_capacity_bytes: 1_000_000,
    clock_hz: 16_000_000,
    data_size_bytes: 2,
    power: 'int',
    latency_requirement_s: 100000,
    compat: 'tecs21',
  },
  search_space: {
    family: 'conv2d',
    layers: 5,
    kernel_sizes: [1, 3, 5, 7],
    filters: [4, 8, 16, 24],
    input_shape: [32, 32, 3],
    classes: 10,
  },
  dataset: { name: 'cifar10', dir: '', validation_fraction: 0.1, train_subset: 0 },
  search: {
    controller: 'reinforce',
    trials: 100,
    seed: 1,
    evaluator: 'supernet',
    reward: 'corrected',
    exploration: 0.1,
    controller_cells: 32,
    embedding_dim: 20,
    accuracy_beta: 0.8,
    fault_alpha: 0,
    fault_ber: 0.001,
    supernet: { epochs: 3, learning_rate: 0.01, warmup_epochs: 0, paths_per_batch: 3, sampling: 'widest_first', distill: true, leaky_slope: 0.2, head_refit_samples: 1000, kernel_sharing: 'crop' },
  },
  training: { epochs: 25, batch_size: 256, learning_rate: 0.001, patience: 5, backend: 'auto', bit_error_rate: 0, weight_clip: 0, bit_error_ramp_epochs: 0, weight_bits: 16 },
  output: { dir: 'solution_dump' },
};
