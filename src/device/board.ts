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
import { findElf } from './dump_files.ts';
import { programElf, type FlashStep, type ProgramOptions } from './programmers.ts';
import { openSerialTransport, type Transport } from './transport.ts';

export const BOARD_KINDS = ['msp430', 'virtual'] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];

/** What `build` produced for a board. */
export interface BoardBuild {
  readonly kind: BoardKind;
  /** Firmware to program (msp430), or null when nothing is programmed (virtual). */
  readonly elf: string | null;
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

/** The MSP-EXP430FR5994 LaunchPad. The ELF comes from `inas build --target msp430` (or `elf`). */
export function createMsp430Board(opts: { elf?: string } = {}): Board {
  return {
    kind: 'msp430',
    async build(dumpDir) {
      const elf = opts.elf ?? findElf(dumpDir);
      if (elf === null) return fail(issue('file_not_found', dumpDir, `no MSP430 firmware ELF in ${dumpDir}; build one with \`inas build ${dumpDir} --target msp430\` (or pass --elf <file>)`));
      return ok({ kind: 'msp430', elf });
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
    build: async () => ok({ kind: 'virtual', elf: null }),
    flash: async () => ok(null),
    openTransport: (port) => openSerialTransport(port),
  };
}

/** The board behind a port. */
export function boardForPort(port: string, opts: { elf?: string } = {}): Board {
  return isVirtualPort(port) ? createVirtualBoard() : createMsp430Board(opts);
}
