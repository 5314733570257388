/** `inas build <dump> --target …`: compiles the firmware of a dump folder and reports its size. */
import type { Command } from 'commander';
import { action, printJson, unwrapOrExit, usageError } from './common.ts';

export function define(program: Command): void {
  program
    .command('build')
    .description('build the firmware of a dump folder (host simulator, MSP430 board or mspdebug simulator)')
    .argument('<dump>', 'dump folder (inas dump output)')
    .option('--target <target>', 'host | msp430 | msp430-sim', 'host')
    .option('--toolchain <name>', 'host: gcc | clang; msp430: clang | msp430-elf-gcc')
    .option('--sanitize', 'host: build with AddressSanitizer + UBSan')
    .option('--events <kind>', 'msp430 targets: protocol (serial protocol, the board default) | text (plain-text events, the simulator default)')
    .option('--nvm <backend>', 'msp430: extfram (external SPI FRAM, default) | fram (internal FRAM)')
    .option('--json', 'print the build result as JSON')
    .action(action(async (dump: string, opts: { target: string; toolchain?: string; sanitize?: boolean; events?: string; nvm?: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      const msp = opts.target === 'msp430' || opts.target === 'msp430-sim';
      if (opts.events !== undefined && (!msp || !['protocol', 'text'].includes(opts.events))) {
        usageError(`--events ${opts.events}: expected protocol or text, and only with --target msp430 or msp430-sim`);
      }
      if (opts.nvm !== undefined && (opts.target !== 'msp430' || !['extfram', 'fram'].includes(opts.nvm))) {
        usageError(`--nvm ${opts.nvm}: expected extfram or fram, and only with --target msp430`);
      }
      const { buildFirmware, buildMsp430Dump, formatMsp430Sizes } = await import('../firmware/index.ts');
      const base = { target: opts.target, ...(opts.toolchain ? { toolchain: opts.toolchain } : {}), ...(opts.sanitize ? { sanitize: true } : {}) };
      const r = unwrapOrExit(msp && (opts.events !== undefined || opts.nvm !== undefined)
        ? await buildMsp430Dump(dump, {
          ...base,
          ...(opts.events !== undefined ? { protocol: opts.events === 'protocol' } : {}),
          ...(opts.nvm !== undefined ? { nvm: opts.nvm as 'extfram' | 'fram' } : {}),
        })
        : await buildFirmware(dump, base), json);
      if (json) {
        printJson(r);
        return;
      }
      const lines = [`built ${r.target} with ${r.toolchain}${r.cached ? ' (up to date)' : ''} in ${(r.elapsed_ms / 1000).toFixed(1)} s → ${r.binary}`];
      if (r.size) {
        lines.push(`size: text ${r.size.text_bytes} B, data ${r.size.data_bytes} B, bss ${r.size.bss_bytes} B` +
          (r.limits ? ` (limits: code ${r.limits.code_bytes} B, data ${r.limits.data_bytes} B)` : ''));
      }
      // MSP430 builds: use of the part's FRAM / SRAM / LEA RAM.
      if ('sizes' in r && r.sizes !== null && typeof r.sizes === 'object') lines.push(...formatMsp430Sizes(r.sizes as Parameters<typeof formatMsp430Sizes>[0]));
      // MSP430 builds: which Q15 dot product the kernels use (JSON: "lea").
      if ('lea' in r && typeof r.lea === 'string') {
        const how: Record<string, string> = {
          dsplib: 'LEA through TI\'s DSPLib (DSPLIB_PATH), used when its boot self-test agrees with the MPY32 path',
          mpy32: 'MPY32 multiply-accumulate (no DSPLIB_PATH)',
          none: '16x16 hardware multiplier (simulator, no LEA)',
        };
        lines.push(`MAC path: ${r.lea} — ${how[r.lea] ?? r.lea}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    }));
}
