/**
 * Boards (STYLE rule 12, microTVM's project verbs): `build` (what to put on the board), `flash` (put it there) and
 * `openTransport` (talk to it). The CLI drives every board through these verbs alone.
 * - `msp430`: the MSP-EXP430FR5994 LaunchPad; flash = a programmer (programmers.ts) writing the firmware ELF.
 * - `virtual`: the host firmware behind a pty (virtual_board.ts); flash does nothing, as the board runs the host
 *   build already (the model image still goes over the serial port, like on a real board).
 */
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { buildFirmware } from '../firmware/index.ts';
import { programElf, type FlashStep, type ProgramOptions } from './programmers.ts';
import { openSerialTransport, type Transport } from './transport.ts';

export const BOARD_KINDS = ['msp430', 'virtual'] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];

/** What `build` produced for a board. */
export interface BoardBuild {
  readonly kind: BoardKind;
  /** Firmware to program (msp430), or null when nothing is programmed (virtual). */
  readonly elf: string | null;
  /** How the ELF was made: built from the dump now (or reused from an up-to-date build), or given with --elf. */
  readonly built: {
    readonly toolchain: string;
    readonly cached: boolean;
    readonly elapsed_ms: number;
    readonly fram_used_bytes: number | null;
    readonly sram_used_bytes: number | null;
  } | null;
}

/** Options of the msp430 board. */
export interface Msp430BoardOptions {
  /** Program this ELF instead of building the dump's firmware. */
  readonly elf?: string;
  /** Toolchain for the build (default: msp430-elf-gcc when on PATH, else clang + ld.lld). */
  readonly toolchain?: string;
  /** Environment for the toolchain lookup (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface Board {
  readonly kind: BoardKind;
  build(dumpDir: string): Promise<Result<BoardBuild>>;
  /** Programs the firmware; `null` when the board has no programming step. */
  flash(build: BoardBuild, opts: ProgramOptions): Promise<Result<FlashStep | null>>;
  openTransport(port: string): Promise<Result<Transport>>;
}

/** The marker a virtual board leaves beside its port, so `flash` knows there is nothing to program. */
export const VIRTUAL_MARKER = 'virtual-board.json';

export interface VirtualMarker {
  readonly kind: 'inas-virtual-board';
  readonly pid: number;
  readonly program: string;
  readonly dump_dir: string | null;
  /** Host seconds per simulated second of recharge time. */
  readonly time_scale: number;
}

/** Writes the marker next to the port (atomically). */
export function writeVirtualMarker(port: string, m: VirtualMarker): void {
  const f = path.join(path.dirname(port), VIRTUAL_MARKER);
  writeFileSync(`${f}.tmp`, JSON.stringify(m, null, 2));
  renameSync(`${f}.tmp`, f);
}

/** True when `port` is served by `inas board --virtual`. */
export function isVirtualPort(port: string): boolean {
  const f = path.join(path.dirname(port), VIRTUAL_MARKER);
  if (!existsSync(f)) return false;
  try {
    return (JSON.parse(readFileSync(f, 'utf8')) as { kind?: unknown }).kind === 'inas-virtual-board';
  } catch {
    return false;
  }
}

/** Host seconds per simulated second for the board behind `port` (1 for a real board). */
export function portTimeScale(port: string): number {
  if (!isVirtualPort(port)) return 1;
  try {
    const m = JSON.parse(readFileSync(path.join(path.dirname(port), VIRTUAL_MARKER), 'utf8')) as { time_scale?: unknown };
    return typeof m.time_scale === 'number' && m.time_scale > 0 ? m.time_scale : 1;
  } catch {
    return 1;
  }
}

/**
 * The MSP-EXP430FR5994 LaunchPad. `build` compiles the dump's protocol firmware for the board through the firmware
 * module (target msp430; an up-to-date ELF is reused), unless an ELF is given.
 */
export function createMsp430Board(opts: Msp430BoardOptions = {}): Board {
  return {
    kind: 'msp430',
    async build(dumpDir) {
      if (opts.elf !== undefined) {
        if (!existsSync(opts.elf)) return fail(issue('file_not_found', opts.elf, `--elf ${opts.elf} does not exist (omit --elf to build the firmware from the dump)`));
        return ok({ kind: 'msp430', elf: opts.elf, built: null });
      }
      const b = await buildFirmware(dumpDir, {
        target: 'msp430',
        ...(opts.toolchain === undefined ? {} : { toolchain: opts.toolchain }),
        ...(opts.env === undefined ? {} : { env: opts.env }),
      });
      if (!b.ok) return b;
      const sizes = (b.value as { sizes?: { fram_used_bytes: number; sram_used_bytes: number } }).sizes;
      return ok({
        kind: 'msp430',
        elf: b.value.binary,
        built: { toolchain: b.value.toolchain, cached: b.value.cached, elapsed_ms: b.value.elapsed_ms, fram_used_bytes: sizes?.fram_used_bytes ?? null, sram_used_bytes: sizes?.sram_used_bytes ?? null },
      });
    },
    async flash(build, popts) {
      if (build.elf === null) return fail(issue('internal', 'flash', 'msp430 build without an ELF'));
      return programElf(build.elf, popts);
    },
    openTransport: (port) => openSerialTransport(port),
  };
}

/** A virtual board (already serving on its pty). */
export function createVirtualBoard(): Board {
  return {
    kind: 'virtual',
    build: async () => ok({ kind: 'virtual', elf: null, built: null }),
    flash: async () => ok(null),
    openTransport: (port) => openSerialTransport(port),
  };
}

/** The board behind a port. */
export function boardForPort(port: string, opts: Msp430BoardOptions = {}): Board {
  return isVirtualPort(port) ? createVirtualBoard() : createMsp430Board(opts);
}
