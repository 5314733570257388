/**
 * The firmware build targets (`inas build --target …`). Each entry names the toolchains it accepts and the
 * function that builds it; the MSP430 port (src/firmware/msp430*.ts) adds its targets here as one entry each.
 */
import type { Result } from '../settings/index.ts';
import type { BuildOptions, BuildResult } from './types.ts';
import { buildHost } from './host_build.ts';
import { buildMsp430Dump } from './msp430_firmware.ts';

export interface BuildTargetEntry {
  readonly description: string;
  /** Toolchains it accepts; the first is the default. */
  readonly toolchains: readonly string[];
  readonly build: (dumpDir: string, opts: BuildOptions) => Promise<Result<BuildResult>>;
}

/** Target name → how to build it. */
export const BUILD_TARGETS: Readonly<Record<string, BuildTargetEntry>> = {
  host: {
    description: 'host power-failure simulator (gcc or clang), the oracle build',
    toolchains: ['gcc', 'clang'],
    build: buildHost,
  },
  msp430: {
    description: 'MSP430FR5994 board (clang --target=msp430 + ld.lld, or msp430-elf-gcc), NVM on the external SPI FRAM',
    toolchains: ['clang', 'msp430-elf-gcc'],
    build: buildMsp430Dump,
  },
  'msp430-sim': {
    description: 'mspdebug simulator build (16-bit MSP430 code, NVM in simulated FRAM, console at 0x00FF)',
    toolchains: ['clang', 'msp430-elf-gcc'],
    build: buildMsp430Dump,
  },
};
