/** `buildFirmware`: dispatches to the target's builder (BUILD_TARGETS). */
import { fail, issue, type Result } from '../settings/index.ts';
import { BUILD_TARGETS } from './targets.ts';
import type { BuildOptions, BuildResult } from './types.ts';

/** Builds the firmware of a dump folder for a target (see BUILD_TARGETS). */
export async function buildFirmware(dumpDir: string, opts: BuildOptions): Promise<Result<BuildResult>> {
  const entry = BUILD_TARGETS[opts.target];
  if (!entry) {
    return fail(issue('invalid_argument', 'target', `unknown target "${opts.target}" (expected one of ${Object.keys(BUILD_TARGETS).join(', ')})`));
  }
  if (opts.toolchain !== undefined && !entry.toolchains.includes(opts.toolchain)) {
    return fail(issue('invalid_argument', 'toolchain', `target ${opts.target} builds with ${entry.toolchains.join(' or ')}, not "${opts.toolchain}"`));
  }
  return entry.build(dumpDir, opts);
}
