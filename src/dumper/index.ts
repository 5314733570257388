/** Public face of the dumper module: NVM/SRAM planning, C headers from templates, weight images, golden vectors. */

/** Dump targets and what each can hold. */
export type { DumpTarget, TargetLimits } from './targets.ts';
export { DUMP_TARGETS, TARGET_LIMITS } from './targets.ts';
/** The design string parsed for the runtime. */
export type { ExecDesign, LoopOrder } from './design.ts';
export { parseExecDesign, LOOP_ORDERS } from './design.ts';
/** NVM/SRAM plan of a model (refuses what the runtime cannot execute) and the reordered NVM weights image. */
export type { LayerPlan, MemoryPlan } from './layout.ts';
export { planMemory, weightsImage, NVM_RESERVED_BYTES } from './layout.ts';
/** The cost constants the host simulator charges (from the platform's cost table). */
export type { CostTableLike, FirmwareCosts, HostProfile } from './costs.ts';
export { hostProfile } from './costs.ts';
/** Rendering and writing a dump; the manifest it writes. */
export type { DumpInput, DumpOptions, DumpManifest, RenderedDump } from './dump.ts';
export { renderDump, writeDump, dumpModel, inasVersion } from './dump.ts';
/** CRC-32 shared with firmware/runtime/crc32.c. */
export { crc32, hex32 } from './crc32.ts';
/** The generated C files and the template folder. */
export { C_FILES, TEMPLATE_DIR } from './render.ts';
/** Dumping a solution folder (apis.md): golden inputs from its samples, costs from its platform settings. */
export type { DumpSolutionOptions } from './solution_dump.ts';
export { dumpSolution, renderSolution, firmwareCosts, goldenInputs } from './solution_dump.ts';
