/**
 * `flash`: build verb (msp430: the dump's protocol firmware, compiled through the firmware module unless an ELF is
 * given; virtual: nothing) → programmer (msp430) or nothing (virtual) → wait for the boot banner → stream the weights
 * image over the serial port → the board verifies the CRC-32 over the stored image.
 */
import { existsSync } from 'node:fs';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { boardForPort } from './board.ts';
import { readDumpInfo, readWeightsImage } from './dump_files.ts';
import { createDeviceLink, type TimedEvent } from './link.ts';
import { loadImage, type LoadReport } from './loader.ts';
import type { BoardBuild } from './board.ts';
import type { FlashStep, ProgrammerName } from './programmers.ts';
import type { DeviceEvent, DropStats } from './protocol.ts';
import { createLoggingTransport, type Transport } from './transport.ts';

export interface FlashOptions {
  readonly port: string;
  readonly programmer?: ProgrammerName;
  readonly ccxml?: string;
  /** Program this ELF instead of building the dump's firmware (msp430 boards). */
  readonly elf?: string;
  /** Toolchain of the firmware build (clang | msp430-elf-gcc; default: msp430-elf-gcc when installed, else clang). */
  readonly toolchain?: string;
  /** Environment in which the toolchain and the programmers are looked up (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Upload the image even when the board already holds it. */
  readonly force?: boolean;
  /** Seconds to wait for each reply of the board. @default 2 */
  readonly replyTimeoutS?: number;
  readonly onProgress?: (committedBytes: number, totalBytes: number) => void;
  readonly onEvent?: (e: TimedEvent) => void;
  /** Hex dump of the serial traffic. */
  readonly trace?: (line: string) => void;
}

export interface FlashReport {
  readonly port: string;
  readonly board: 'msp430' | 'virtual';
  /** The firmware that was programmed: built from the dump (toolchain, sizes) or given; null on a virtual board. */
  readonly firmware: { readonly elf: string; readonly built: BoardBuild['built'] } | null;
  readonly programmed: FlashStep | null;
  readonly load: LoadReport;
  /** The board's banner after loading. */
  readonly boot: { readonly version: string; readonly digest: string; readonly model_state: string; readonly model_crc: number } | null;
  readonly digest_matches: boolean | null;
  readonly dropped: Readonly<DropStats>;
}

type Boot = Extract<DeviceEvent, { tag: 'BOOT' }>;

/** Programs (when the board needs it) and loads the model image of a dump folder. */
export async function flashDump(dumpDir: string, opts: FlashOptions): Promise<Result<FlashReport>> {
  if (!existsSync(opts.port)) {
    return fail(issue('port_unavailable', opts.port, `cannot open serial port ${opts.port}: no such device: check the path, or that the board is plugged in (see \`--port auto\`)`));
  }
  const info = readDumpInfo(dumpDir);
  if (!info.ok) return info;
  const image = readWeightsImage(info.value);
  if (!image.ok) return image;
  const board = boardForPort(opts.port, {
    ...(opts.elf === undefined ? {} : { elf: opts.elf }),
    ...(opts.toolchain === undefined ? {} : { toolchain: opts.toolchain }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
  });
  const built = await board.build(dumpDir);
  if (!built.ok) return built;
  const programmed = await board.flash(built.value, {
    ...(opts.programmer === undefined ? {} : { programmer: opts.programmer }),
    ...(opts.ccxml === undefined ? {} : { ccxml: opts.ccxml }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
  });
  if (!programmed.ok) return programmed;

  const tr = await board.openTransport(opts.port);
  if (!tr.ok) return tr;
  const transport: Transport = opts.trace ? createLoggingTransport(tr.value, opts.trace) : tr.value;
  const link = createDeviceLink(transport);
  let lastBoot: Boot | null = null;
  const seen = (e: TimedEvent) => {
    if (e.event.tag === 'BOOT') lastBoot = e.event;
    opts.onEvent?.(e);
  };
  try {
    const load = await loadImage(link, image.value, {
      ...(opts.replyTimeoutS === undefined ? {} : { replyTimeoutS: opts.replyTimeoutS }),
      ...(opts.force === undefined ? {} : { force: opts.force }),
      ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
      onEvent: seen,
    });
    if (!load.ok) return load;
    // Verify: the board reports the image state after the CRC check it runs at boot (LDQ answers from the record).
    const s = await link.send({ tag: 'LDQ' });
    if (!s.ok) return s;
    const st = await link.waitFor((e) => e.tag === 'LDST', opts.replyTimeoutS ?? 2, seen);
    if (!st.ok) return st;
    const ld = st.value.event;
    if (ld.tag !== 'LDST' || ld.state !== 'ok' || ld.crc !== load.value.crc32) {
      return fail(issue('checksum_mismatch', opts.port, `after loading, the board reports the image as ${ld.tag === 'LDST' ? ld.state : '?'}; expected ok with CRC-32 0x${load.value.crc32.toString(16).padStart(8, '0')}`));
    }
    // The boot banner may have been printed before the port was opened (or lost to a power cycle); ask the board
    // who it is instead of reporting "unknown".
    const lb = lastBoot as Boot | null;
    let b: { version: string; digest: string; model_state: string; model_crc: number } | null = lb;
    let digest = b?.digest ?? null;
    if (digest === null) {
      for (let attempt = 0; attempt < 3 && digest === null; attempt++) {
        const p = await link.send({ tag: 'PING', seq: 300 + attempt });
        if (!p.ok) return p;
        const r = await link.waitFor((e) => e.tag === 'PONG' && e.seq === 300 + attempt, opts.replyTimeoutS ?? 2, seen);
        if (r.ok && r.value.event.tag === 'PONG') {
          const pong = r.value.event;
          digest = pong.digest;
          b = pong;
        } else if (!r.ok && r.issues[0]?.code !== 'io_timeout') return r;
      }
    }
    return ok({
      port: opts.port,
      board: board.kind,
      firmware: built.value.elf === null ? null : { elf: built.value.elf, built: built.value.built },
      programmed: programmed.value,
      load: load.value,
      boot: b ? { version: b.version, digest: b.digest, model_state: b.model_state, model_crc: b.model_crc } : null,
      digest_matches: digest === null ? null : digest === info.value.settings_digest,
      dropped: { ...link.stats },
    });
  } finally {
    await link.close();
  }
}

/** Opens a port for monitoring or profiling, with an optional hex-dump trace. */
export async function openPort(port: string, trace?: (line: string) => void): Promise<Result<Transport>> {
  const tr = await boardForPort(port).openTransport(port);
  if (!tr.ok || !trace) return tr;
  return ok(createLoggingTransport(tr.value, trace));
}
