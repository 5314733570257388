/**
 * What each firmware target can hold: the SRAM budget for the engine's static tile buffers and an NVM limit on
 * top of the platform setting. The firmware module's build table (src/firmware/targets.ts) lists how to build them.
 */

/** Dump/build targets. */
export const DUMP_TARGETS = ['host', 'msp430', 'msp430-sim'] as const;
export type DumpTarget = (typeof DUMP_TARGETS)[number];

export interface TargetLimits {
  /** Bytes of SRAM for the engine's tile buffers (ifm + weights + 32-bit accumulators + outputs). */
  readonly sram_budget_bytes: number;
  /** NVM bytes the target offers to the model (null: the platform's nvm_capacity_bytes decides). */
  readonly nvm_limit_bytes: number | null;
  readonly description: string;
}

/**
 * MSP430FR5994: 4 KiB SRAM (+ 3.7 KiB LEA RAM); 2.5 KiB of it go to tile buffers (the rest: stack, HAL, events).
 * msp430-sim keeps NVM in the internal FRAM next to code and the weights image (256 KiB FRAM in all), so its NVM is capped at 96 KiB.
 */
export const TARGET_LIMITS: Readonly<Record<DumpTarget, TargetLimits>> = {
  host: { sram_budget_bytes: 1 << 20, nvm_limit_bytes: null, description: 'host simulator (gcc/clang)' },
  msp430: { sram_budget_bytes: 2560, nvm_limit_bytes: null, description: 'MSP430FR5994 board, external SPI FRAM NVM' },
  'msp430-sim': { sram_budget_bytes: 2560, nvm_limit_bytes: 96 * 1024, description: 'mspdebug simulator, NVM in internal FRAM' },
};
