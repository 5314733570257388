/**
 * What each firmware target can hold: the SRAM budget for the engine's static tile buffers, an NVM limit on top of
 * the platform setting, and (msp430-sim) the lower-FRAM budget of the whole firmware image. The firmware module's
 * build table (src/firmware/targets.ts) lists how to build them.
 */

/** Dump/build targets. */
export const DUMP_TARGETS = ['host', 'msp430', 'msp430-sim'] as const;
export type DumpTarget = (typeof DUMP_TARGETS)[number];

/**
 * The firmware image in the MCU's lower FRAM when code, the compiled-in weights image and the NVM array all live
 * there (the msp430-sim build: 16-bit MSP430 code reaches only 0x4000-0xFF7F, firmware/msp430/msp430_sim.ld).
 * Sizes of the plain-text simulator build (`inas build --target msp430-sim`, clang 14 -O2 -mhwmult=16bit), measured
 * on the fixtures' fc / conv1d / conv2d dumps: .text 25 272 B whatever the model; .rodata = weights image + golden
 * vectors + 416 B + 54 B per layer (layer table); .persistent = NVM array (rounded to even) + 38 B of counters.
 * The figures below round those up (test/firmware/msp430_fit.test.ts checks that the estimate stays above a real
 * build and within 4 KiB of it).
 */
export interface FramImageModel {
  /** Lower FRAM the 16-bit build can use (the linker script's FRAM region). */
  readonly capacity_bytes: number;
  /** Runtime, kernels, HAL, C-library subset and __mspabi_* helpers with their constants (over-estimate). */
  readonly code_bytes: number;
  /** Layer table per layer (over-estimate). */
  readonly per_layer_bytes: number;
  /** .persistent besides the NVM array: counters that survive resets (over-estimate). */
  readonly persistent_overhead_bytes: number;
}

export interface TargetLimits {
  /** Bytes of SRAM for the engine's tile buffers (ifm + weights + 32-bit accumulators + outputs). */
  readonly sram_budget_bytes: number;
  /** NVM bytes the target offers to the model (null: the platform's nvm_capacity_bytes decides). */
  readonly nvm_limit_bytes: number | null;
  /** The lower-FRAM budget checked at dump time (null: not checked; the build's link reports any overflow). */
  readonly fram_image: FramImageModel | null;
  readonly description: string;
}

/** MSP430FR5994 lower FRAM, 0x4000-0xFF7F (firmware/msp430/*.ld FRAM region; src/firmware/msp430_build.ts FR5994_LIMITS). */
export const FR5994_LOWER_FRAM_BYTES = 0xbf80;

/**
 * MSP430FR5994: 4 KiB SRAM (+ 3.7 KiB LEA RAM). The board's default (serial protocol) build uses 992 B outside the
 * tile buffers plus its stack reserve: tile buffers of 2 304 B were measured to link and 2 344 B to fail by 8 B, so
 * the board gets 2 304 B (2.25 KiB). The simulator builds (no protocol) keep 2.5 KiB.
 * msp430-sim keeps the compiled-in weights image, the NVM array and the code in the 48 KiB of lower FRAM its 16-bit
 * code can address, so the dumper checks that whole image (estimateFramImage). msp430 (the board) is not checked
 * at dump time: its default build (`inas build --target msp430`, serial protocol, external SPI FRAM NVM) links no
 * weights and keeps the NVM on the 1 MiB SPI FRAM; the `--nvm fram` and `--events text` variants put the NVM or
 * the weights image in lower FRAM, and their link reports any overflow ("FRAM: needs N B, has 49024 B").
 */
export const TARGET_LIMITS: Readonly<Record<DumpTarget, TargetLimits>> = {
  host: { sram_budget_bytes: 1 << 20, nvm_limit_bytes: null, fram_image: null, description: 'host simulator (gcc/clang)' },
  msp430: { sram_budget_bytes: 2304, nvm_limit_bytes: null, fram_image: null, description: 'MSP430FR5994 board, external SPI FRAM NVM' },
  'msp430-sim': {
    sram_budget_bytes: 2560,
    nvm_limit_bytes: null,
    fram_image: { capacity_bytes: FR5994_LOWER_FRAM_BYTES, code_bytes: 27_648, per_layer_bytes: 64, persistent_overhead_bytes: 64 },
    description: 'mspdebug simulator, weights image + NVM + code in the lower 48 KiB of internal FRAM',
  },
};

/** What a dump's firmware image needs in lower FRAM (estimateFramImage). */
export interface FramImageEstimate {
  readonly need_bytes: number;
  readonly capacity_bytes: number;
  readonly code_bytes: number;
  /** Compiled-in weights image (.rodata; provisions the NVM at first boot). */
  readonly weights_bytes: number;
  /** The NVM array (.persistent): feature maps, partial sums and a second copy of the weights. */
  readonly nvm_bytes: number;
  readonly golden_bytes: number;
  readonly layer_table_bytes: number;
  readonly overhead_bytes: number;
  /** The largest weights image that would fit with everything else unchanged (0 when none does). */
  readonly max_weights_bytes: number;
}

/**
 * Estimates the lower-FRAM image of a dump on `target` (null when the target does not keep the model in lower FRAM).
 * `golden_count` defaults to 1 (then the estimate is a lower bound on the golden vectors).
 */
export function estimateFramImage(target: DumpTarget, m: {
  readonly nvm_size_bytes: number; readonly weights_size_bytes: number; readonly layers: number;
  readonly input_elems: number; readonly classes: number; readonly golden_count?: number;
}): FramImageEstimate | null {
  const f = TARGET_LIMITS[target].fram_image;
  if (f === null) return null;
  const nvm = m.nvm_size_bytes + (m.nvm_size_bytes % 2);
  const golden = (m.golden_count ?? 1) * (2 * m.input_elems + 2 * m.classes + 2);
  const table = f.per_layer_bytes * m.layers;
  const need = f.code_bytes + table + m.weights_size_bytes + golden + nvm + f.persistent_overhead_bytes;
  const rest = need - 2 * m.weights_size_bytes;
  return {
    need_bytes: need, capacity_bytes: f.capacity_bytes, code_bytes: f.code_bytes, weights_bytes: m.weights_size_bytes, nvm_bytes: nvm,
    golden_bytes: golden, layer_table_bytes: table, overhead_bytes: f.persistent_overhead_bytes,
    max_weights_bytes: Math.max(0, Math.floor((f.capacity_bytes - rest) / 4) * 2),
  };
}
