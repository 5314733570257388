/** Public face of the firmware module: building the C firmware and running the host power-failure simulator. */

/** Build API and the targets table (the MSP430 port adds its entries to BUILD_TARGETS). */
export type { BuildOptions, BuildResult, SizeReport } from './types.ts';
export { buildFirmware } from './build.ts';
export type { BuildTargetEntry } from './targets.ts';
export { BUILD_TARGETS } from './targets.ts';
/** Firmware sources and flags shared by all targets. */
export { FIRMWARE_ROOT, PORTABLE_SOURCES, GENERATED_SOURCES, INCLUDE_DIRS, HOST_SOURCES, STRICT_CFLAGS } from './sources.ts';
/** Running the host simulator binary and parsing its output. */
export type { HostFailures, HostRunOptions, HostSummary, HostResult, HostRunReport } from './run.ts';
export { runHost, hostArgs, parseHostOutput } from './run.ts';
export { parseFailures } from './run.ts';
/** Simulation: build + run + compare with golden vectors and the cost model's prediction. */
export type { SimulateOptions, SimulationReport, LayerComparison } from './simulate.ts';
export { simulate, readManifest, readGolden, SIM_ENGINES } from './simulate.ts';
/** MSP430 port: builds for the board and mspdebug's simulator, and the simulator runner (engine `mspdebug`). */
export type { Msp430DumpBuildOptions, Msp430DumpBuild, Msp430NvmBackend } from './msp430_firmware.ts';
export { buildMsp430Dump } from './msp430_firmware.ts';
export type { Msp430SizeReport } from './msp430_build.ts';
export { FR5994_LIMITS, formatMsp430Sizes } from './msp430_build.ts';
export type { MspdebugSimulationReport, SimConsole } from './msp430_simulate.ts';
export { simulateMspdebug, parseSimConsole } from './msp430_simulate.ts';
/** The mspdebug simulator runner itself (console text, resets injected after N instructions). */
export type { MspdebugRunOptions, MspdebugRunReport, MspdebugBreakReset } from './msp430_sim.ts';
export { runMspdebugSim } from './msp430_sim.ts';
export { protoRecordBytes } from './msp430_firmware.ts';
