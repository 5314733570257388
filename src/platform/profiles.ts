/**
 * Platform cost profiles as data (reference §1.5). Each primitive is a linear fit in the number of Q15 elements x:
 * energy_j = energy_per_element_j·x + energy_fixed_j, latency = (cycles_per_element·x + cycles_fixed) / clock.
 * Derived addressing overheads (FD_*, BD_*, OP_*) are counts of CPU ADD/MUL operations (see `OVERHEAD_COUNTS`).
 */
import type { PlatformProfileName } from '../settings/index.ts';

/** A primitive whose cost grows linearly with the number of elements it moves or processes. */
export interface LinearPrimitive {
  readonly energy_per_element_j: number;
  readonly energy_fixed_j: number;
  readonly cycles_per_element: number;
  readonly cycles_fixed: number;
}

/** A fixed-cost CPU operation. */
export interface ScalarPrimitive {
  readonly energy_j: number;
  readonly cycles: number;
}

/** A platform cost profile: primitive measurements plus where they come from. */
export interface CostProfile {
  readonly name: PlatformProfileName;
  readonly description: string;
  /** Where the numbers come from (measurement, datasheet derivation, …). */
  readonly provenance: string;
  /** Clock at which the cycle counts were measured (Hz). */
  readonly clock_hz: number;
  /** NVM → VM (SRAM) transfer of x elements. */
  readonly nvm_read: LinearPrimitive;
  /** VM → NVM transfer of x elements. */
  readonly nvm_write: LinearPrimitive;
  /** LEA vector MAC of length x. */
  readonly vector_mac: LinearPrimitive;
  readonly add: ScalarPrimitive;
  readonly multiply: ScalarPrimitive;
  readonly divide: ScalarPrimitive;
  readonly modulo: ScalarPrimitive;
  readonly max: ScalarPrimitive;
  /** Cost of one reboot (start of every power cycle). */
  readonly reboot: { readonly energy_j: number; readonly latency_s: number };
  /** Largest NVM this profile can address (bytes), or null when unbounded by the profile. */
  readonly max_nvm_bytes: number | null;
}

/**
 * MSP430FR5994 at 16 MHz with an external SPI FRAM as NVM, driven by DMA through eUSCI SPI — the profile of the
 * original iNAS (`microbench_measurements.py`, `plat_energy_costs.py`, PLAT_MSP430_EXTNVM). The coefficients are
 * the original's fitted values at full precision (64 cycles/element = SPI at 4 MHz; ~424 cycles per command).
 * Reboot: 70 ms and ½·330 µF·(2.99² − 2.91²) = 77.88 µJ, measured on an oscilloscope.
 */
export const MSP430FR5994_EXTFRAM: CostProfile = {
  name: 'msp430fr5994-extfram',
  description: 'MSP430FR5994 @16 MHz, LEA, external SPI FRAM as NVM (original iNAS measurements)',
  provenance: 'iNAS microbenchmarks (microbench_measurements.py / plat_energy_costs.py, reference §1.5), measured on a LaunchPad',
  clock_hz: 16_000_000,
  nvm_read: { energy_per_element_j: 2.7e-8, energy_fixed_j: 2.0e-7, cycles_per_element: 64.00000000000001, cycles_fixed: 423.99999999999994 },
  nvm_write: { energy_per_element_j: 2.6815e-8, energy_fixed_j: 1.9336e-7, cycles_per_element: 64.00082974729904, cycles_fixed: 422.22773129921234 },
  vector_mac: { energy_per_element_j: 5.27308646249e-10, energy_fixed_j: 2.04412689725e-7, cycles_per_element: 1.4999999999999978, cycles_fixed: 616.0000000000002 },
  add: { energy_j: 3.935538461538471e-9, cycles: 12 },
  multiply: { energy_j: 1.9253346153846146e-8, cycles: 44 },
  divide: { energy_j: 4.373834615384616e-8, cycles: 160 },
  modulo: { energy_j: 4.366230769230769e-8, cycles: 160 },
  max: { energy_j: 4.228153846153846e-9, cycles: 14 },
  reboot: { energy_j: 7.788e-5, latency_s: 0.07 },
  max_nvm_bytes: null,
};

/** Active energy per CPU cycle at 16 MHz, 3 V: 118 µA/MHz (SLASE54) · 16 MHz · 3 V / 16e6 cycles/s ≈ 0.354 nJ. */
const FRAM_ENERGY_PER_CYCLE_J = (118e-6 * 16) * 3 / 16e6;
/** DMA block transfer: 2 MCLK cycles per word (SLAU367) + 1 FRAM wait state at 16 MHz (NWAITS_1) ≈ 3 cycles. */
const FRAM_CYCLES_PER_ELEMENT = 3;
/** Per-transfer set-up: source/destination/size/control register writes (20-bit addresses) plus the call ≈ 60 cycles. */
const FRAM_CYCLES_FIXED = 60;

/**
 * MSP430FR5994 using only its internal 256 KB FRAM as NVM (no external chip). Not measured: the NVM transfer costs
 * are DERIVED from datasheet figures (see the constants above: DMA 2 cycles/word + 1 wait state, ~60 cycles of
 * set-up, energy = cycles × 0.354 nJ/cycle from the 118 µA/MHz active current at 3 V). LEA, CPU and reboot costs
 * are the measured ones of the external-FRAM profile (same MCU, same board). Treat latencies as estimates until a
 * calibration run (`inas profile`) replaces them.
 */
export const MSP430FR5994_FRAM: CostProfile = {
  ...MSP430FR5994_EXTFRAM,
  name: 'msp430fr5994-fram',
  description: 'MSP430FR5994 @16 MHz, LEA, internal FRAM as NVM (datasheet-derived transfer costs, uncalibrated)',
  provenance: 'NVM transfers derived from SLASE54/SLAU367 (DMA 2 cycles/word + 1 FRAM wait state, ~60 cycles set-up, '
    + '118 µA/MHz at 3 V ⇒ 0.354 nJ/cycle); LEA/CPU/reboot from the iNAS measurements; uncalibrated estimate',
  nvm_read: {
    energy_per_element_j: FRAM_CYCLES_PER_ELEMENT * FRAM_ENERGY_PER_CYCLE_J,
    energy_fixed_j: FRAM_CYCLES_FIXED * FRAM_ENERGY_PER_CYCLE_J,
    cycles_per_element: FRAM_CYCLES_PER_ELEMENT,
    cycles_fixed: FRAM_CYCLES_FIXED,
  },
  nvm_write: {
    energy_per_element_j: FRAM_CYCLES_PER_ELEMENT * FRAM_ENERGY_PER_CYCLE_J,
    energy_fixed_j: FRAM_CYCLES_FIXED * FRAM_ENERGY_PER_CYCLE_J,
    cycles_per_element: FRAM_CYCLES_PER_ELEMENT,
    cycles_fixed: FRAM_CYCLES_FIXED,
  },
  max_nvm_bytes: 262_144,
};

/** All profiles by name. */
export const COST_PROFILES: Readonly<Record<PlatformProfileName, CostProfile>> = {
  'msp430fr5994-extfram': MSP430FR5994_EXTFRAM,
  'msp430fr5994-fram': MSP430FR5994_FRAM,
};

/** ADD/MUL counts of an addressing overhead (read from the compiled assembly by the original authors). */
export interface OpCounts {
  readonly add: number;
  readonly mul: number;
}

/**
 * Overhead keys of §1.5: fetch (FD), backup (BD) and per-MAC-call (OP) bookkeeping. `energy` is the count used for
 * energy (and, in `corrected` mode, for latency). `latency` is the count the original used for latency where it
 * differs (FD_W and OP_PSUM use 10 MUL for latency and 9/5 for energy; kept as in the original since the assembly
 * is not available to decide which is right).
 */
export const OVERHEAD_COUNTS = {
  FD_I: { energy: { add: 7, mul: 5 }, latency: { add: 7, mul: 5 } },
  FD_W: { energy: { add: 8, mul: 9 }, latency: { add: 8, mul: 10 } },
  FD_O_RUI: { energy: { add: 7, mul: 5 }, latency: { add: 7, mul: 5 } },
  FD_O_RUW: { energy: { add: 7, mul: 4 }, latency: { add: 7, mul: 4 } },
  FD_O_RUO: { energy: { add: 7, mul: 4 }, latency: { add: 7, mul: 4 } },
  BD_O_RUI: { energy: { add: 9, mul: 8 }, latency: { add: 9, mul: 8 } },
  BD_O_RUW: { energy: { add: 11, mul: 9 }, latency: { add: 11, mul: 9 } },
  BD_O_RUO: { energy: { add: 7, mul: 5 }, latency: { add: 7, mul: 5 } },
  OP_PSUM: { energy: { add: 7, mul: 5 }, latency: { add: 7, mul: 10 } },
  OP_ACUM: { energy: { add: 3, mul: 3 }, latency: { add: 3, mul: 3 } },
  OP_MAX_OVHD: { energy: { add: 2, mul: 1 }, latency: { add: 2, mul: 1 } },
} as const satisfies Record<string, { energy: OpCounts; latency: OpCounts }>;

export type OverheadKey = keyof typeof OVERHEAD_COUNTS;

/**
 * Keys whose latency the original computed from the ENERGY constants (E_ADD/E_MUL in joules instead of L_ADD/L_MUL
 * in seconds), giving ≈1e-7 "seconds" instead of 16–33 µs — the latency-constant bug of §1.5. `tecs21` keeps it.
 */
export const TECS21_LATENCY_BUG_KEYS: readonly OverheadKey[] = ['FD_O_RUI', 'FD_O_RUW', 'FD_O_RUO', 'BD_O_RUI', 'BD_O_RUW', 'BD_O_RUO'];
