/**
 * The firmware build targets (`inas build --target …`). Each entry names the toolchains it accepts and the
 * function that builds it; the MSP430 port (src/firmware/msp430*.ts) adds its targets here as one entry each.
 */
import type { Result } from '../settings/index.ts';
import type { BuildOptions, BuildResult } from './types.ts';
import { buildHost } from './host_build.ts';

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
};
