/** `inas flash <dump dir> --port <dev>`: program the firmware (real board) and load + verify the model image. */
import type { Command } from 'commander';
import { action, exitWithIssues, printJson, usageError } from './common.ts';
import { createProgress } from './progress.ts';

interface FlashFlags {
  port: string;
  programmer?: string;
  elf?: string;
  toolchain?: string;
  ccxml?: string;
  force?: boolean;
  timeout?: string;
  trace?: boolean;
  json?: boolean;
}

export function define(program: Command): void {
  program
    .command('flash')
    .description('program the LaunchPad (mspdebug, MSP430Flasher or DSLite) and load the model image over the serial port')
    .argument('<dump dir>', 'dump folder (inas dump output)')
    .requiredOption('--port <dev>', 'serial port of the board (e.g. /dev/ttyACM0, the path printed by `inas board --virtual`, or auto)')
    .option('--programmer <name>', 'mspdebug | msp430flasher | dslite (default: the first one installed)')
    .option('--elf <file>', 'program this firmware ELF (default: build the dump\'s firmware for the board, target msp430)')
    .option('--toolchain <name>', 'toolchain of that build: clang | msp430-elf-gcc (default: msp430-elf-gcc when installed, else clang + ld.lld)')
    .option('--ccxml <file>', 'DSLite target configuration (default: a generated MSP430FR5994 + eZ-FET one)')
    .option('--force', 'upload the image even when the board already holds it')
    .option('--timeout <s>', 'seconds to wait for each reply of the board', '2')
    .option('--trace', 'hex-dump the serial traffic on stderr')
    .option('--json', 'print the report as JSON')
    .action(action(async (dumpDir: string, flags: FlashFlags) => {
      const { PROGRAMMERS, flashDump, resolvePort } = await import('../device/index.ts');
      const programmer = flags.programmer;
      if (programmer !== undefined && !(PROGRAMMERS as readonly string[]).includes(programmer)) {
        usageError(`--programmer ${programmer}: expected one of ${PROGRAMMERS.join(', ')}`);
      }
      if (flags.toolchain !== undefined && flags.toolchain !== 'clang' && flags.toolchain !== 'msp430-elf-gcc') {
        usageError(`--toolchain ${flags.toolchain}: expected clang or msp430-elf-gcc`);
      }
      const timeoutS = Number(flags.timeout);
      if (!(timeoutS > 0)) usageError(`--timeout ${flags.timeout}: expected a positive number of seconds`);
      const port = await resolvePort(flags.port);
      if (!port.ok) exitWithIssues(port.issues, flags.json);
      let bar: ReturnType<typeof createProgress> | null = null;
      const r = await flashDump(dumpDir, {
        port: port.value,
        replyTimeoutS: timeoutS,
        ...(programmer === undefined ? {} : { programmer: programmer as (typeof PROGRAMMERS)[number] }),
        ...(flags.elf === undefined ? {} : { elf: flags.elf }),
        ...(flags.toolchain === undefined ? {} : { toolchain: flags.toolchain }),
        ...(flags.ccxml === undefined ? {} : { ccxml: flags.ccxml }),
        ...(flags.force ? { force: true } : {}),
        ...(flags.trace ? { trace: (l: string) => process.stderr.write(`${l}\n`) } : {}),
        onProgress: (done, total) => {
          bar ??= createProgress({ label: 'loading model', total, unit: 'B', quiet: !!flags.json });
          bar.update(done);
        },
      });
      (bar as ReturnType<typeof createProgress> | null)?.finish();
      if (!r.ok) exitWithIssues(r.issues, flags.json);
      const rep = r.value;
      if (flags.json) {
        printJson({ ok: true, ...rep });
        return;
      }
      const out = (s: string) => process.stdout.write(`${s}\n`);
      out(`board: ${rep.board} on ${rep.port}`);
      if (rep.firmware) {
        const b = rep.firmware.built;
        out(b === null
          ? `firmware: ${rep.firmware.elf} (given with --elf)`
          : `firmware: ${rep.firmware.elf} (${b.cached ? 'up to date' : `built with ${b.toolchain} in ${(b.elapsed_ms / 1000).toFixed(1)} s`}${b.fram_used_bytes !== null ? `; FRAM ${b.fram_used_bytes} B, SRAM ${b.sram_used_bytes} B` : ''})`);
      }
      out(rep.programmed ? `programmed with ${rep.programmed.programmer} in ${rep.programmed.elapsed_s.toFixed(1)} s` : 'programming: none (virtual board runs the host firmware)');
      const l = rep.load;
      out(l.action === 'already_loaded'
        ? `model image: already on the board (${l.size_bytes} bytes, CRC-32 0x${l.crc32.toString(16).padStart(8, '0')}); use --force to upload again`
        : `model image: ${l.size_bytes} bytes in ${l.elapsed_s.toFixed(2)} s, ${l.chunks_sent} chunks, ${l.retries} retries, ${l.resumes} resumes, ${l.board_resets} board resets`);
      out(`verified: the board's CRC-32 over the stored image is 0x${l.crc32.toString(16).padStart(8, '0')}`);
      if (rep.boot && rep.digest_matches === false) out(`warning: the firmware reports settings digest ${rep.boot.digest}, the dump has another one (rebuild and flash the firmware of this dump)`);
      const d = rep.dropped;
      const dropped = d.garbage + d.partial + d.overlong + d.bad_crc + d.unknown_tag + d.malformed;
      if (dropped > 0) out(`line noise: dropped ${d.bad_crc} lines with bad CRC, ${d.partial} partial, ${d.malformed + d.unknown_tag} malformed, ${d.garbage} garbage bytes`);
    }));
}
