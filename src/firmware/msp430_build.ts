/**
 * MSP430 builds of the inas firmware: `msp430` (the MSP430FR5994 LaunchPad) and `msp430-sim` (mspdebug's
 * simulator). Two toolchains:
 *   - clang: `clang --target=msp430` + `ld.lld`, 16-bit MSP430 code, our crt0, linker scripts, FR5994 register
 *     header, C-library subset and `__mspabi_*` helpers (firmware/msp430/);
 *   - msp430-elf-gcc: TI's GCC with `-mmcu=msp430fr5994`, our crt0 and linker scripts, its own libgcc/newlib.
 * A build compiles the platform files plus the caller's sources, links, and reports code/data sizes against the
 * part's FRAM and SRAM; a model that does not fit fails with `model_too_large` and the numbers.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import { EM_MSP430, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, readElf, type ElfInfo } from './msp430_elf.ts';

/** The two MSP430 build targets. */
export const MSP430_TARGETS = ['msp430', 'msp430-sim'] as const;
export type Msp430Target = (typeof MSP430_TARGETS)[number];
/** The two supported toolchains. */
export const MSP430_TOOLCHAINS = ['clang', 'msp430-elf-gcc'] as const;
export type Msp430ToolchainName = (typeof MSP430_TOOLCHAINS)[number];

/** The firmware/ directory of this checkout. */
export const FIRMWARE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'firmware');

/** MSP430FR5994 limits used by the size report (datasheet memory map; lower FRAM only: 16-bit code). */
export const FR5994_LIMITS = {
  fram_bytes: 0xbf80, // 0x4000-0xFF7F
  sram_bytes: 0x1000, // 0x1C00-0x2BFF
  lea_ram_bytes: 0x0ec8, // 0x2C00-0x3AC7 (DSPLib keeps 0x138 B for its LEA stack)
  clock_hz: 16_000_000,
} as const;

/** Default stack reserved at the top of SRAM (bytes). */
export const DEFAULT_STACK_BYTES = 0x300;

/** A detected toolchain. */
export interface Msp430Toolchain {
  readonly name: Msp430ToolchainName;
  /** Compiler driver (absolute path). */
  readonly cc: string;
  /** Linker (ld.lld for clang; the gcc driver links for msp430-elf-gcc). */
  readonly ld: string;
}

/** Finds an executable on PATH (`env.PATH`), or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Picks a toolchain: the requested one, or msp430-elf-gcc when it is on PATH, else clang + ld.lld.
 * Fails with `toolchain_missing` naming what is absent and how to install it.
 */
export function detectMsp430Toolchain(requested?: Msp430ToolchainName, env: NodeJS.ProcessEnv = process.env): Result<Msp430Toolchain> {
  const gcc = findOnPath('msp430-elf-gcc', env);
  if (requested === 'msp430-elf-gcc' || (requested === undefined && gcc !== null)) {
    if (gcc === null) {
      return fail(issue('toolchain_missing', 'toolchain', 'msp430-elf-gcc is not on PATH (install TI\'s MSP430-GCC and add its bin/ to PATH, or use --toolchain clang)'));
    }
    return ok({ name: 'msp430-elf-gcc', cc: gcc, ld: gcc });
  }
  const clang = findOnPath('clang', env);
  const lld = findOnPath('ld.lld', env);
  const missing = [clang === null ? 'clang' : null, lld === null ? 'ld.lld' : null].filter((x) => x !== null);
  if (clang === null || lld === null) {
    return fail(issue('toolchain_missing', 'toolchain', `${missing.join(' and ')} not on PATH (apt-get install clang lld)`, { missing }));
  }
  return ok({ name: 'clang', cc: clang, ld: lld });
}

/** Inputs of one MSP430 build. */
export interface Msp430BuildOptions {
  readonly target: Msp430Target;
  /** Application sources (C or .S): the runtime, kernels, generated files, or a test program. */
  readonly sources: readonly string[];
  readonly includeDirs?: readonly string[];
  readonly defines?: Readonly<Record<string, string | number>>;
  readonly outDir: string;
  /** ELF base name (default "inas"). */
  readonly name?: string;
  readonly toolchain?: Msp430ToolchainName;
  /** TI DSPLib root for LEA on the board (default: env DSPLIB_PATH); without it the MPY32 path is used. */
  readonly dsplibPath?: string;
  readonly stackBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** A compile/link plan: every command line, in order. */
export interface Msp430BuildPlan {
  readonly toolchain: Msp430Toolchain;
  readonly target: Msp430Target;
  readonly elf: string;
  readonly compile: readonly { readonly source: string; readonly object: string; readonly argv: readonly string[] }[];
  readonly link: readonly string[];
  readonly lea: 'dsplib' | 'mpy32' | 'none';
}

/** Sizes of a built ELF against the part (bytes). */
export interface Msp430SizeReport {
  readonly text_bytes: number;
  readonly rodata_bytes: number;
  readonly data_bytes: number;
  readonly bss_bytes: number;
  readonly persistent_bytes: number;
  readonly vectors_bytes: number;
  readonly lea_ram_bytes: number;
  readonly stack_bytes: number;
  /** text + rodata + .data image + persistent (lower FRAM). */
  readonly fram_used_bytes: number;
  readonly fram_capacity_bytes: number;
  /** .data + .bss + reserved stack. */
  readonly sram_used_bytes: number;
  readonly sram_capacity_bytes: number;
  readonly lea_ram_capacity_bytes: number;
}

/** Result of a build. */
export interface Msp430BuildResult {
  readonly elf: string;
  readonly target: Msp430Target;
  readonly toolchain: Msp430ToolchainName;
  readonly lea: 'dsplib' | 'mpy32' | 'none';
  readonly commands: readonly (readonly string[])[];
  readonly sizes: Msp430SizeReport;
}

const WARNINGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic'];

function objectName(source: string, index: number): string {
  const base = path.basename(source).replace(/\.[^.]+$/, '');
  return `${String(index).padStart(3, '0')}_${base}.o`;
}

/** Lists the platform sources, flags and linker script of a target (no I/O besides DSPLib discovery). */
export function planMsp430Build(opts: Msp430BuildOptions, toolchain: Msp430Toolchain): Result<Msp430BuildPlan> {
  const fw = FIRMWARE_DIR;
  const m = path.join(fw, 'msp430');
  const sim = opts.target === 'msp430-sim';
  const halDir = path.join(fw, 'hal', sim ? 'msp430_sim' : 'msp430');
  const env = opts.env ?? process.env;
  const dsplib = sim ? undefined : (opts.dsplibPath ?? env.DSPLIB_PATH);
  const issues: InasIssue[] = [];
  const platformSources = [path.join(m, 'crt0.S')];
  const halSources = sim
    ? [path.join(halDir, 'platform_sim.c')]
    : ['platform.c', 'uart.c', 'timer.c', 'extfram.c', 'vmon.c', 'mac.c'].map((f) => path.join(halDir, f));
  let lea: Msp430BuildPlan['lea'] = sim ? 'none' : 'mpy32';
  const dsplibIncludes: string[] = [];
  const dsplibSources: string[] = [];
  if (dsplib !== undefined && dsplib !== '') {
    const inc = path.join(dsplib, 'include');
    if (!existsSync(path.join(inc, 'DSPLib.h'))) {
      issues.push(issue('toolchain_missing', 'DSPLIB_PATH', `DSPLIB_PATH=${dsplib} has no include/DSPLib.h (expected TI's MSP DSPLib root)`));
    } else {
      lea = 'dsplib';
      dsplibIncludes.push(inc);
      // DSPLib's vector MAC and its LEA plumbing; the rest of the library is not needed.
      for (const f of ['source/vector/msp_mac_q15.c', 'source/utility/msp_lea_isr.c', 'source/utility/msp_lea_flags.c']) {
        const p = path.join(dsplib, f);
        if (existsSync(p)) dsplibSources.push(p);
      }
      dsplibSources.push(path.join(halDir, 'mac_lea.c'));
    }
  }
  if (issues.length > 0) return fail(...issues);

  const clang = toolchain.name === 'clang';
  if (clang) {
    platformSources.push(path.join(m, 'libc.c'), path.join(m, 'mspabi.c'), path.join(m, 'mspabi_shims.S'));
    platformSources.push(path.join(m, sim ? 'mspabi_hw16.c' : 'mspabi_f5hw.c'));
  }
  const includeDirs = [m, ...(clang ? [path.join(m, 'include')] : []), halDir, path.join(fw, 'hal'), ...dsplibIncludes, ...(opts.includeDirs ?? [])];
  const defines: Record<string, string | number> = {
    INAS_TARGET_MSP430: 1,
    // FRAM that crt0 never initialises: state that must survive resets (hal.h, intrinsics.h).
    INAS_PERSISTENT: '__attribute__((section(".persistent"),used))',
    ...(sim ? { INAS_TARGET_MSP430_SIM: 1 } : { INAS_TARGET_MSP430_BOARD: 1 }),
    ...(lea === 'dsplib' ? { INAS_HAVE_DSPLIB: 1, MSP_USE_LEA: 1, __MSP430FR5994__: 1 } : {}),
    ...(opts.defines ?? {}),
  };
  const common = [
    ...(clang
      ? ['--target=msp430', sim ? '-mhwmult=16bit' : '-mhwmult=f5series', '-ffreestanding', '-fno-builtin']
      : sim
        ? ['-mcpu=msp430', '-mhwmult=16bit']
        : ['-mmcu=msp430fr5994', '-mhwmult=f5series']),
    '-O2',
    '-ffunction-sections',
    '-fdata-sections',
    ...includeDirs.map((d) => `-I${d}`),
    ...Object.entries(defines).map(([k, v]) => `-D${k}=${String(v)}`),
  ];
  const objDir = path.join(opts.outDir, 'obj');
  const all = [...platformSources, ...halSources, ...dsplibSources, ...opts.sources];
  const compile = all.map((source, i) => {
    const object = path.join(objDir, objectName(source, i));
    const isAsm = source.endsWith('.S');
    // DSPLib is TI's code: built without our -Werror/-pedantic policy.
    const ours = !dsplibSources.includes(source) || source.endsWith('mac_lea.c');
    const argv = [...common, ...(isAsm ? [] : ours ? WARNINGS : ['-std=c99']), '-c', source, '-o', object];
    return { source, object, argv };
  });
  const elf = path.join(opts.outDir, `${opts.name ?? 'inas'}.elf`);
  const script = path.join(m, sim ? 'msp430_sim.ld' : 'msp430fr5994.ld');
  const stack = opts.stackBytes ?? DEFAULT_STACK_BYTES;
  const link = clang
    ? ['-T', script, '--gc-sections', `--defsym=INAS_STACK_SIZE=${stack}`, ...compile.map((c) => c.object), '-o', `${elf}.tmp`]
    : [
        ...(sim ? ['-mcpu=msp430', '-mhwmult=16bit'] : ['-mmcu=msp430fr5994', '-mhwmult=f5series']),
        '-nostartfiles',
        '-T',
        script,
        '-Wl,--gc-sections',
        `-Wl,--defsym=INAS_STACK_SIZE=${stack}`,
        ...compile.map((c) => c.object),
        '-lc',
        '-lgcc',
        '-o',
        `${elf}.tmp`,
      ];
  return ok({ toolchain, target: opts.target, elf, compile, link, lea });
}

interface RunOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
}

function run(cmd: string, argv: readonly string[], timeoutMs: number): Promise<RunOutput> {
  return new Promise((resolve) => {
    execFile(cmd, argv as string[], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
      resolve({ code, stdout, stderr, ...(err !== null && code === null ? { error: err.message } : {}) });
    });
  });
}

/** Computes the size report of an ELF built by planMsp430Build. */
export function msp430Sizes(elf: ElfInfo, stackBytes: number): Msp430SizeReport {
  let text = 0;
  let rodata = 0;
  let data = 0;
  let bss = 0;
  let persistent = 0;
  let vectors = 0;
  let lea = 0;
  for (const s of elf.sections) {
    if ((s.flags & SHF_ALLOC) === 0) continue;
    if (s.name === '.vectors') vectors += s.size_bytes;
    else if (s.name === '.persistent') persistent += s.size_bytes;
    else if (s.name === '.lea_ram') lea += s.size_bytes;
    else if (s.type === SHT_NOBITS) bss += s.size_bytes;
    else if ((s.flags & SHF_EXECINSTR) !== 0) text += s.size_bytes;
    else if ((s.flags & SHF_WRITE) !== 0) data += s.size_bytes;
    else rodata += s.size_bytes;
  }
  return {
    text_bytes: text,
    rodata_bytes: rodata,
    data_bytes: data,
    bss_bytes: bss,
    persistent_bytes: persistent,
    vectors_bytes: vectors,
    lea_ram_bytes: lea,
    stack_bytes: stackBytes,
    fram_used_bytes: text + rodata + data + persistent,
    fram_capacity_bytes: FR5994_LIMITS.fram_bytes,
    sram_used_bytes: data + bss + stackBytes,
    sram_capacity_bytes: FR5994_LIMITS.sram_bytes,
    lea_ram_capacity_bytes: FR5994_LIMITS.lea_ram_bytes,
  };
}

/** Capacity of a linker-script memory region (bytes), or undefined for a region the size report does not know. */
function regionCapacity(region: string): number | undefined {
  return region === 'FRAM' ? FR5994_LIMITS.fram_bytes : region === 'RAM' ? FR5994_LIMITS.sram_bytes : region === 'LEARAM' ? FR5994_LIMITS.lea_ram_bytes : undefined;
}

/**
 * Turns the linker's region-overflow messages into one `model_too_large` issue per memory region with one summary
 * line, "FRAM: needs N B, has M B (over by K B)". ld.lld reports every section that does not fit (and some twice,
 * once per layout pass), each with the overflow at the end of that section; GNU ld reports the region's overflow
 * once. Sections are laid out in order, so the largest figure of a region is the overflow of everything in it.
 */
export function linkIssues(stderr: string, elf: string): InasIssue[] {
  const regions = new Map<string, { over: number; sections: string[] }>();
  const note = (region: string, section: string | null, over: number | null): void => {
    const r = regions.get(region) ?? { over: 0, sections: [] };
    if (over !== null) r.over = Math.max(r.over, over);
    if (section !== null && !r.sections.includes(section)) r.sections.push(section);
    regions.set(region, r);
  };
  // ld.lld: "section '.rodata' will not fit in region 'FRAM': overflowed by 15274 bytes"
  for (const m of stderr.matchAll(/section '([^']+)' will not fit in region '([^']+)': overflowed by (\d+) bytes/g)) note(String(m[2]), String(m[1]), Number(m[3]));
  // GNU ld: "section `.rodata' will not fit in region `FRAM'" and "region `FRAM' overflowed by 56256 bytes"
  for (const m of stderr.matchAll(/section `([^']+)' will not fit in region `([^']+)'(?!:)/g)) note(String(m[2]), String(m[1]), null);
  for (const m of stderr.matchAll(/region `([^']+)' overflowed by (\d+) bytes/g)) note(String(m[1]), null, Number(m[2]));
  const out: InasIssue[] = [];
  for (const [region, r] of regions) {
    const capacity = regionCapacity(region);
    const what = r.sections.length > 0 ? ` (sections ${r.sections.join(', ')})` : '';
    const summary = capacity !== undefined
      ? `${region}: needs ${capacity + r.over} B, has ${capacity} B (over by ${r.over} B)`
      : `${region}: over by ${r.over} B`;
    const hint = region === 'FRAM'
      ? '; 16-bit MSP430 code reaches only the lower FRAM (0x4000-0xFF7F): code, constants (a compiled-in weights image, golden vectors) and .persistent (an NVM array in internal FRAM) share it'
      : '';
    out.push(issue('model_too_large', elf, `the firmware does not fit the MSP430FR5994: ${summary}${what}${hint}`, {
      region,
      overflow_bytes: r.over,
      sections: r.sections,
      ...(capacity !== undefined ? { capacity_bytes: capacity, need_bytes: capacity + r.over } : {}),
    }));
  }
  const assertion = /inas: ([^\n]*do not fit[^\n]*)/.exec(stderr);
  if (assertion !== null && out.length === 0) out.push(issue('model_too_large', elf, assertion[1] ?? 'does not fit', { capacity_bytes: FR5994_LIMITS.sram_bytes }));
  return out;
}

/** Compiles and links an MSP430 build; returns the ELF path, the commands run and the size report. */
export async function buildMsp430(opts: Msp430BuildOptions): Promise<Result<Msp430BuildResult>> {
  const tc = detectMsp430Toolchain(opts.toolchain, opts.env);
  if (!tc.ok) return tc;
  const planned = planMsp430Build(opts, tc.value);
  if (!planned.ok) return planned;
  const plan = planned.value;
  mkdirSync(path.join(opts.outDir, 'obj'), { recursive: true });
  const commands: string[][] = [];
  const jobs = [...plan.compile];
  const failures: InasIssue[] = [];
  // Two compilers at a time: the machine is shared.
  const worker = async (): Promise<void> => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
      commands.push([tc.value.cc, ...job.argv]);
      const r = await run(tc.value.cc, job.argv, 120_000);
      if (r.code !== 0) {
        failures.push(issue('build_failed', job.source, `${path.basename(tc.value.cc)} failed on ${path.relative(process.cwd(), job.source)}:\n${(r.stderr + (r.error ?? '')).trim()}`));
      }
    }
  };
  await Promise.all([worker(), worker()]);
  if (failures.length > 0) return fail(...failures);
  commands.push([tc.value.ld, ...plan.link]);
  const linked = await run(tc.value.ld, plan.link, 120_000);
  if (linked.code !== 0) {
    rmSync(`${plan.elf}.tmp`, { force: true });
    const fit = linkIssues(linked.stderr, plan.elf);
    if (fit.length === 1 && fit[0]?.data?.['region'] === undefined) {
      // The SRAM check is a linker-script ASSERT, which gives no numbers: link once more keeping the output
      // (--noinhibit-exec turns the ASSERT into a warning) and measure it.
      const probe = `${plan.elf}.probe`;
      const argv = plan.link.map((a) => (a === `${plan.elf}.tmp` ? probe : a));
      const relinked = await run(tc.value.ld, [tc.value.name === 'clang' ? '--noinhibit-exec' : '-Wl,--noinhibit-exec', ...argv], 120_000);
      const elf = relinked.code === 0 && existsSync(probe) ? readElf(probe) : null;
      rmSync(probe, { force: true });
      if (elf !== null && elf.ok) {
        const s = msp430Sizes(elf.value, opts.stackBytes ?? DEFAULT_STACK_BYTES);
        if (s.sram_used_bytes > s.sram_capacity_bytes) {
          const by = s.sram_used_bytes - s.sram_capacity_bytes;
          return fail(issue('model_too_large', plan.elf, `the firmware does not fit the MSP430FR5994: SRAM: needs ${s.sram_used_bytes} B, has ${s.sram_capacity_bytes} B (over by ${by} B) (.data ${s.data_bytes} + .bss ${s.bss_bytes} + reserved stack ${s.stack_bytes})`,
            { region: 'RAM', need_bytes: s.sram_used_bytes, capacity_bytes: s.sram_capacity_bytes, overflow_bytes: by, data_bytes: s.data_bytes, bss_bytes: s.bss_bytes, stack_bytes: s.stack_bytes }));
        }
      }
    }
    if (fit.length > 0) return fail(...fit);
    return fail(issue('build_failed', plan.elf, `link failed:\n${(linked.stderr + (linked.error ?? '')).trim()}`));
  }
  renameSync(`${plan.elf}.tmp`, plan.elf);
  const elf = readElf(plan.elf);
  if (!elf.ok) return elf;
  if (elf.value.machine !== EM_MSP430) {
    return fail(issue('build_failed', plan.elf, `the linker produced an ELF for machine ${elf.value.machine}, expected MSP430 (${EM_MSP430})`));
  }
  const sizes = msp430Sizes(elf.value, opts.stackBytes ?? DEFAULT_STACK_BYTES);
  const over: InasIssue[] = [];
  if (sizes.fram_used_bytes > sizes.fram_capacity_bytes) {
    const by = sizes.fram_used_bytes - sizes.fram_capacity_bytes;
    over.push(issue('model_too_large', plan.elf, `the firmware does not fit the MSP430FR5994: FRAM: needs ${sizes.fram_used_bytes} B, has ${sizes.fram_capacity_bytes} B (over by ${by} B) (code + constants + data image + persistent, reachable from 16-bit code)`, { region: 'FRAM', used_bytes: sizes.fram_used_bytes, need_bytes: sizes.fram_used_bytes, capacity_bytes: sizes.fram_capacity_bytes, overflow_bytes: by }));
  }
  if (sizes.sram_used_bytes > sizes.sram_capacity_bytes) {
    const by = sizes.sram_used_bytes - sizes.sram_capacity_bytes;
    over.push(issue('model_too_large', plan.elf, `the firmware does not fit the MSP430FR5994: SRAM: needs ${sizes.sram_used_bytes} B, has ${sizes.sram_capacity_bytes} B (over by ${by} B) (.data + .bss + reserved stack)`, { region: 'RAM', used_bytes: sizes.sram_used_bytes, need_bytes: sizes.sram_used_bytes, capacity_bytes: sizes.sram_capacity_bytes, overflow_bytes: by }));
  }
  if (over.length > 0) return fail(...over);
  return ok({ elf: plan.elf, target: opts.target, toolchain: tc.value.name, lea: plan.lea, commands, sizes });
}

/** One line per memory, e.g. "FRAM 10458 / 49024 B (21.3 %)". */
export function formatMsp430Sizes(s: Msp430SizeReport): string[] {
  const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)} %`;
  return [
    `FRAM ${s.fram_used_bytes} / ${s.fram_capacity_bytes} B (${pct(s.fram_used_bytes, s.fram_capacity_bytes)}): text ${s.text_bytes}, rodata ${s.rodata_bytes}, data image ${s.data_bytes}, persistent ${s.persistent_bytes}`,
    `SRAM ${s.sram_used_bytes} / ${s.sram_capacity_bytes} B (${pct(s.sram_used_bytes, s.sram_capacity_bytes)}): data ${s.data_bytes}, bss ${s.bss_bytes}, stack ${s.stack_bytes}`,
    `LEA RAM ${s.lea_ram_bytes} / ${s.lea_ram_capacity_bytes} B`,
  ];
}
