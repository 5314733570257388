/**
 * The solution contract (ARCHITECTURE.md "Contracts"): one JSON file that everything downstream of the search reads
 * (dumper, firmware build, faults, device profile). Weights live in a binary file beside it (`weights.file`).
 * This file declares the type; `parseSolution` (schema + ajv) validates files against it.
 */
import type { CompatMode, Family, InasSettings, PowerType } from '../settings/index.ts';
import type { LayerType } from '../network/index.ts';

/** Per-layer execution design and predicted cost. */
export interface SolutionLayer {
  readonly name: string;
  readonly type: LayerType;
  /** `Tr_Tc_Tm_Tn_reuse_{I|W|O}_S<S>`, or null when the layer has no feasible design. */
  readonly design: string | null;
  readonly latency_s: number | null;
  readonly energy_per_cycle_j: number | null;
  readonly power_cycles: number | null;
  readonly vm_bytes: number | null;
}

/** Per-layer fixed-point parameters (firmware/Q15.md). */
export interface QuantLayer {
  readonly name: string;
  readonly type: LayerType;
  readonly relu: boolean;
  /** Fractional bits of the layer input, weights and output; shift = in_frac + w_frac − out_frac. */
  readonly in_frac: number;
  readonly w_frac: number;
  readonly out_frac: number;
  readonly shift: number;
  /** 16 (Q15) or 8 (int8 weights). */
  readonly weight_bits: 16 | 8;
  /** Where the layer's weights start in the weights file, and how many there are (canonical tfjs order). */
  readonly weights_offset_bytes: number;
  readonly weights_count: number;
  /** POOL layers only: max (the default when absent) or average pooling (firmware/Q15.md). */
  readonly pool?: PoolKind;
}

/** Pooling kinds of a POOL layer. */
export const POOL_KINDS = ['max', 'avg'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

/** A solution file. */
export interface Solution {
  readonly schema_version: 1;
  readonly kind: 'inas-solution';
  readonly inas_version: string;
  readonly created_utc: string;
  /** sha256 (hex) of the canonical JSON of the resolved settings. */
  readonly settings_digest: string;
  readonly settings: InasSettings;
  readonly family: Family;
  readonly arch: readonly number[];
  /** [H, W, C] */
  readonly input_shape: readonly number[];
  readonly classes: number;
  readonly power: PowerType;
  readonly compat: CompatMode;
  readonly feasible: boolean;
  readonly layers: readonly SolutionLayer[];
  readonly predicted: { readonly latency_s: number | null; readonly energy_j: number | null; readonly power_cycles: number | null };
  readonly accuracy: { readonly float: number | null; readonly q15: number | null };
  /** Fixed-point parameters; null for a design-only solution (no trained weights). */
  readonly quant: { readonly input_frac: number; readonly layers: readonly QuantLayer[] } | null;
  /** Weights image: little-endian int16 (or int8) values, layer after layer; path relative to the solution file. */
  readonly weights: { readonly file: string; readonly format: 'inas-q-v1'; readonly sha256: string; readonly size_bytes: number } | null;
  /** A few test inputs (float, HWC, flattened) with labels, for golden vectors; path relative to the solution file. */
  readonly samples: {
    readonly file: string;
    readonly count: number;
    /** sha256 (hex) and size of the samples file (firmware/Q15.md "Files"); written by writeSolution. */
    readonly sha256?: string;
    readonly size_bytes?: number;
  } | null;
}
