/** `inas build <dump> --target …`: compiles the firmware of a dump folder and reports its size. */
import type { Command } from 'commander';
import { action, printJson, unwrapOrExit } from './common.ts';

export function define(program: Command): void {
  program
    .command('build')
    .description('build the firmware of a dump folder (host simulator, MSP430 board or mspdebug simulator)')
    .argument('<dump>', 'dump folder (inas dump output)')
    .option('--target <target>', 'host | msp430 | msp430-sim', 'host')
    .option('--toolchain <name>', 'host: gcc | clang; msp430: clang | msp430-elf-gcc')
    .option('--sanitize', 'host: build with AddressSanitizer + UBSan')
    .option('--json', 'print the build result as JSON')
    .action(action(async (dump: string, opts: { target: string; toolchain?: string; sanitize?: boolean; json?: boolean }) => {
      const json = Boolean(opts.json);
      const { buildFirmware, formatMsp430Sizes } = await import('../firmware/index.ts');
      const r = unwrapOrExit(await buildFirmware(dump, {
        target: opts.target, ...(opts.toolchain ? { toolchain: opts.toolchain } : {}), ...(opts.sanitize ? { sanitize: true } : {}),
      }), json);
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
      process.stdout.write(lines.join('\n') + '\n');
    }));
}
