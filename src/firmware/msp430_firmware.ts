/**
 * MSP430 builds of a dump (`inas build --target msp430|msp430-sim`): the portable runtime and kernels, the dump's
 * generated files and the target's HAL (firmware/hal/msp430 or firmware/hal/msp430_sim), compiled and linked by
 * msp430_build.ts, with the NVM size and the number of inferences taken from the dump's manifest.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, fail, issue, ok, type Result } from '../settings/index.ts';
import { DEFAULT_STACK_BYTES, FR5994_LIMITS, buildMsp430, msp430Sizes, type Msp430BuildResult, type Msp430SizeReport, type Msp430Target, type Msp430ToolchainName } from './msp430_build.ts';
import { readElf } from './msp430_elf.ts';
import { FIRMWARE_ROOT, GENERATED_SOURCES, INCLUDE_DIRS, PORTABLE_SOURCES } from './sources.ts';
import type { BuildOptions, BuildResult } from './types.ts';

/** Where the board keeps its NVM: the external SPI FRAM of the iNAS board, or the MCU's internal FRAM. */
export type Msp430NvmBackend = 'extfram' | 'fram';

/** Options of an MSP430 build of a dump. */
export interface Msp430DumpBuildOptions extends BuildOptions {
  /** Board only: NVM backend (default extfram; `fram` = the msp430fr5994-fram profile). */
  readonly nvm?: Msp430NvmBackend;
  /** Inferences before the firmware stops (simulator default: one per golden vector; board default 0 = forever). */
  readonly inferences?: number;
  /**
   * Speak the serial protocol (firmware/proto: BOOT, loader, RUN, per-layer events, RESULT, TOTAL) through the shared
   * board loop instead of the plain-text events. Default: true for the board (what `inas flash`/`profile` talk to),
   * false for the simulator (whose `inas simulate --engine mspdebug` runner reads the plain-text events). In the
   * simulator the protocol build loads its compiled-in image through the loader and runs `inferences` itself.
   */
  readonly protocol?: boolean;
  /** Board only: Comparator_E ladder tap (1..31) below which a commit powers down; default 0 = never. */
  readonly shutdownTap?: number;
  /**
   * Protocol builds: the image check at boot. `bounded` (default): one chunk per boot once the image is verified
   * (firmware/proto/README.md, "Image check"); `full`: the CRC-32 over the whole image at every boot
   * (INAS_PROTO_BOOT_FULL_CHECK), kept for comparison.
   */
  readonly bootCheck?: 'bounded' | 'full';
  readonly dsplibPath?: string;
  readonly stackBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** What an MSP430 build of a dump produced (a BuildResult plus the part-level size report). */
export interface Msp430DumpBuild extends BuildResult {
  readonly sizes: Msp430SizeReport;
  readonly lea: Msp430BuildResult['lea'];
  readonly nvm_backend: Msp430NvmBackend | 'sim-fram';
  /** NVM bytes the firmware offers the engine. */
  readonly nvm_bytes: number;
  /** Inferences the firmware runs before stopping (0 = forever). */
  readonly inferences: number;
  readonly golden_count: number;
  /** True when the firmware speaks the serial protocol (firmware/proto). */
  readonly protocol: boolean;
  /** Build identifier compiled in as INAS_FW_CRC (printed in BOOT.fw_crc). */
  readonly fw_crc: number;
  readonly commands: readonly (readonly string[])[];
}

/** The few manifest fields an MSP430 build needs. */
export interface Msp430ManifestInfo {
  readonly target: string;
  readonly nvm_size_bytes: number;
  readonly golden_count: number;
}

/** Reads the fields of manifest.json an MSP430 build needs, with one message per problem. */
export function readMsp430ManifestInfo(dumpDir: string): Result<Msp430ManifestInfo> {
  const file = path.join(dumpDir, 'manifest.json');
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return fail(issue(missing ? 'file_not_found' : 'invalid_json', file, missing ? 'not a dump folder (no manifest.json; run inas dump first)' : `not valid JSON: ${(e as Error).message}`));
  }
  const o = m as { kind?: unknown; target?: unknown; nvm?: { size_bytes?: unknown }; golden?: { count?: unknown } };
  const size = o.nvm?.size_bytes;
  const count = o.golden?.count;
  if (typeof m !== 'object' || m === null || o.kind !== 'inas-dump' || typeof o.target !== 'string') {
    return fail(issue('invalid_file', file, 'not an inas dump manifest (expected kind "inas-dump" and a target)'));
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    return fail(issue('invalid_file', `${file}#/nvm/size_bytes`, `expected a positive integer, got ${JSON.stringify(size)}`));
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    return fail(issue('invalid_file', `${file}#/golden/count`, `expected a positive integer, got ${JSON.stringify(count)}`));
  }
  return ok({ target: o.target, nvm_size_bytes: size, golden_count: count });
}

const MSP430_DUMP_TARGETS = ['msp430', 'msp430-sim'];

/** Folders whose files every MSP430 object may depend on (platform code, linker scripts, headers). */
const DEPENDENCY_DIRS = ['msp430', 'msp430/include', 'hal', 'hal/msp430', 'hal/msp430_sim', 'runtime', 'kernels', 'proto'];

/** The protocol record's size (two slots) from firmware/proto/inas_proto.h: NVM the protocol needs above the model's plan. */
export function protoRecordBytes(): number {
  const h = readFileSync(path.join(FIRMWARE_ROOT, 'proto', 'inas_proto.h'), 'utf8');
  const m = /#define INAS_PROTO_RECORD_BYTES (\d+)u/.exec(h);
  if (m === null) throw new Error('firmware/proto/inas_proto.h defines no INAS_PROTO_RECORD_BYTES');
  return Number(m[1]);
}

/** Portable sources of a protocol build: the runtime without the plain-text events/input, plus firmware/proto. */
const PROTO_SOURCES = ['proto/inas_proto.c', 'proto/events_proto.c', 'proto/input_proto.c', 'proto/board_loop.c'] as const;

/** A key over everything a build reads: sources, every platform/runtime file, the dump's headers, the options. */
function buildKey(sources: readonly string[], dumpDir: string, options: unknown): string {
  const h = createHash('sha256').update(JSON.stringify(options));
  const files = new Set(sources);
  for (const d of DEPENDENCY_DIRS) {
    const dir = path.join(FIRMWARE_ROOT, d);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (/\.(?:h|c|S|ld)$/.test(f)) files.add(path.join(dir, f));
  }
  for (const f of readdirSync(dumpDir).sort()) if (f.endsWith('.h')) files.add(path.join(dumpDir, f));
  for (const f of [...files].sort()) h.update(f).update('\0').update(readFileSync(f));
  return h.digest('hex');
}

/** Compiles and links a dump for the MSP430FR5994 board or mspdebug's simulator; see the module comment. */
export async function buildMsp430Dump(dumpDir: string, opts: Msp430DumpBuildOptions): Promise<Result<Msp430DumpBuild>> {
  const t0 = Date.now();
  if (opts.target !== 'msp430' && opts.target !== 'msp430-sim') {
    return fail(issue('invalid_argument', 'target', `"${opts.target}" is not an MSP430 target (expected msp430 or msp430-sim)`));
  }
  const target: Msp430Target = opts.target;
  const sim = target === 'msp430-sim';
  if (opts.toolchain !== undefined && opts.toolchain !== 'clang' && opts.toolchain !== 'msp430-elf-gcc') {
    return fail(issue('invalid_argument', 'toolchain', `target ${target} builds with clang or msp430-elf-gcc, not "${opts.toolchain}"`));
  }
  const man = readMsp430ManifestInfo(dumpDir);
  if (!man.ok) return man;
  if (!MSP430_DUMP_TARGETS.includes(man.value.target)) {
    return fail(issue('invalid_argument', path.join(dumpDir, 'manifest.json'),
      `the dump was made for target ${man.value.target}, whose SRAM tile buffers do not fit the MSP430FR5994; re-run inas dump --target ${target}`));
  }
  for (const f of ['model.h', 'golden.h', ...GENERATED_SOURCES]) {
    if (!existsSync(path.join(dumpDir, f))) {
      return fail(issue('file_not_found', path.join(dumpDir, f), `not a dump folder: ${f} is missing (run inas dump first)`));
    }
  }
  const inferences = opts.inferences ?? (sim ? man.value.golden_count : 0);
  if (!Number.isInteger(inferences) || inferences < 0 || inferences > 0x7fffffff || (sim && inferences < 1)) {
    return fail(issue('invalid_argument', 'inferences', `expected a whole number of inferences${sim ? ' ≥ 1' : ' (0 = forever)'}, got ${String(inferences)}`));
  }
  const tap = opts.shutdownTap ?? 0;
  if (!Number.isInteger(tap) || tap < 0 || tap > 31) {
    return fail(issue('invalid_argument', 'shutdownTap', `expected a Comparator_E ladder tap 0..31, got ${String(tap)}`));
  }
  const backend: Msp430NvmBackend | 'sim-fram' = sim ? 'sim-fram' : (opts.nvm ?? 'extfram');
  const protocol = opts.protocol ?? !sim;
  // NVM in internal FRAM is a byte array: round up to whole words; the protocol record sits above the model's plan.
  const nvmNeeded = man.value.nvm_size_bytes + (protocol ? protoRecordBytes() : 0);
  const nvmArray = nvmNeeded + (nvmNeeded % 2);
  // The kernels' dot product runs on the hardware multiplier (q15.h INAS_PORT_DOT_Q15; hal_sim.c / hal_board.c).
  const defines: Record<string, string | number> = sim
    ? { INAS_PORT_DOT_Q15: 1, INAS_SIM_NVM_BYTES: `${nvmArray}u`, INAS_SIM_INFERENCES: `${inferences}u` }
    : {
        INAS_PORT_DOT_Q15: 1,
        INAS_BOARD_INFERENCES: `${inferences}u`,
        INAS_BOARD_SHUTDOWN_TAP: `${tap}u`,
        ...(backend === 'fram' ? { INAS_BOARD_NVM_FRAM: 1, INAS_BOARD_NVM_BYTES: `${nvmArray}u` } : { INAS_BOARD_NVM_FRAM: 0 }),
      };
  const halDir = path.join(FIRMWARE_ROOT, 'hal', sim ? 'msp430_sim' : 'msp430');
  const portable = protocol
    ? [...PORTABLE_SOURCES.filter((s) => s !== 'runtime/events_text.c' && s !== 'runtime/input_golden.c'), ...PROTO_SOURCES]
    : [...PORTABLE_SOURCES];
  const hal = sim
    ? (protocol ? ['hal_sim.c', 'proto_port_sim.c', 'main_proto_sim.c'] : ['hal_sim.c', 'main_msp430_sim.c'])
    : (protocol ? ['hal_board.c', 'proto_port.c', 'main_proto.c'] : ['hal_board.c', 'main_msp430.c']);
  // The board's protocol build gets the weights over the serial loader: the image is not linked into the ELF (it
  // would take FRAM the code needs) and the engine never provisions it (INAS_ENGINE_PROVISION 0).
  const noImage = protocol && !sim;
  // The HAL banks each layer's on-time at every commit (a power failure gives no warning on the MSP430).
  if (protocol) defines['INAS_PROTOCOL_EVENTS'] = 1;
  if (protocol && opts.bootCheck === 'full') defines['INAS_PROTO_BOOT_FULL_CHECK'] = 1;
  if (noImage) defines['INAS_ENGINE_PROVISION'] = 0;
  const sources = [
    ...portable.map((s) => path.join(FIRMWARE_ROOT, s)),
    ...GENERATED_SOURCES.filter((s) => !(noImage && s === 'weights.c')).map((s) => path.resolve(dumpDir, s)),
    ...hal.map((s) => path.join(halDir, s)),
  ];
  // Protocol builds of the simulator go to their own folder (the plain-text one is the simulate engine's).
  const defaultDir = sim && protocol ? `${target}-proto` : !sim && !protocol ? `${target}-text` : target;
  const outDir = path.resolve(opts.buildDir ?? path.join(dumpDir, 'build', defaultDir));
  const env = opts.env ?? process.env;
  const stack = opts.stackBytes ?? DEFAULT_STACK_BYTES;
  const key = buildKey(sources, dumpDir, { target, toolchain: opts.toolchain ?? null, defines, stack, dsplib: opts.dsplibPath ?? env.DSPLIB_PATH ?? null, path: env.PATH ?? null });
  // The build identifier BOOT reports: CRC-32 of the key over every source, header and option.
  const fwCrc = crc32(Buffer.from(key, 'hex'));
  if (protocol) defines['INAS_FW_CRC'] = `0x${fwCrc.toString(16).padStart(8, '0')}ul`;
  const elfPath = path.join(outDir, 'inas.elf');
  const keyFile = path.join(outDir, 'inas.elf.key');
  const common = { target, nvm_backend: backend, nvm_bytes: backend === 'extfram' ? 0x100000 : nvmArray, inferences, golden_count: man.value.golden_count, protocol, fw_crc: protocol ? fwCrc : 0 };
  const limits = { code_bytes: FR5994_LIMITS.fram_bytes, data_bytes: FR5994_LIMITS.sram_bytes };
  const legacy = (s: Msp430SizeReport): BuildResult['size'] => ({ text_bytes: s.text_bytes + s.rodata_bytes, data_bytes: s.data_bytes + s.persistent_bytes, bss_bytes: s.bss_bytes });
  if (existsSync(elfPath) && existsSync(keyFile)) {
    const cached = JSON.parse(readFileSync(keyFile, 'utf8')) as { key?: string; toolchain?: string; lea?: Msp430BuildResult['lea']; commands?: string[][] };
    const elf = cached.key === key ? readElf(elfPath) : null;
    if (elf !== null && elf.ok && cached.toolchain !== undefined && cached.lea !== undefined) {
      const sizes = msp430Sizes(elf.value, stack);
      const commands = cached.commands ?? [];
      return ok({ ...common, toolchain: cached.toolchain, binary: elfPath, size: legacy(sizes), limits, cached: true, elapsed_ms: Date.now() - t0,
        command: commands[commands.length - 1] ?? [], sizes, lea: cached.lea, commands });
    }
  }
  rmSync(keyFile, { force: true });
  const built = await buildMsp430({
    target,
    sources,
    includeDirs: [...INCLUDE_DIRS.map((d) => path.join(FIRMWARE_ROOT, d)), ...(protocol ? [path.join(FIRMWARE_ROOT, 'proto')] : []), path.resolve(dumpDir)],
    defines,
    outDir,
    name: 'inas',
    ...(opts.toolchain !== undefined ? { toolchain: opts.toolchain as Msp430ToolchainName } : {}),
    ...(opts.dsplibPath !== undefined ? { dsplibPath: opts.dsplibPath } : {}),
    stackBytes: stack,
    env,
  });
  if (!built.ok) return built;
  const b = built.value;
  const tmpKey = `${keyFile}.${process.pid}.tmp`; // unique per process: two builds of one dump must not share it
  writeFileSync(tmpKey, JSON.stringify({ key, toolchain: b.toolchain, lea: b.lea, commands: b.commands }));
  renameSync(tmpKey, keyFile);
  return ok({ ...common, toolchain: b.toolchain, binary: b.elf, size: legacy(b.sizes), limits, cached: false, elapsed_ms: Date.now() - t0,
    command: b.commands[b.commands.length - 1] ?? [], sizes: b.sizes, lea: b.lea, commands: b.commands });
}
