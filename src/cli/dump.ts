/** `inas dump <solution>`: renders the firmware's C files, weights image and golden vectors for a solution. */
import type { Command } from 'commander';
import path from 'node:path';
import { action, printJson, unwrapOrExit, usageError } from './common.ts';

export function define(program: Command): void {
  program
    .command('dump')
    .description('generate the firmware model (C headers from templates), weights image and golden vectors of a solution')
    .argument('<solution>', 'solution.json or its folder')
    .option('--out <dir>', 'output folder (default: <solution folder>/dump-<target>)')
    .option('--target <target>', 'host | msp430 | msp430-sim', 'host')
    .option('--golden <n>', 'number of golden test vectors', '4')
    .option('--json', 'print the manifest as JSON')
    .action(action(async (solutionPath: string, opts: { out?: string; target: string; golden: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      const { DUMP_TARGETS, dumpSolution } = await import('../dumper/index.ts');
      const { readSolution } = await import('../quant/index.ts');
      const target = DUMP_TARGETS.find((t) => t === opts.target);
      if (!target) usageError(`--target: expected one of ${DUMP_TARGETS.join(', ')} (got "${opts.target}")`);
      if (!/^\d+$/.test(opts.golden)) usageError(`--golden: expected a positive integer (got "${opts.golden}")`);
      const loaded = unwrapOrExit(readSolution(solutionPath), json);
      const out = opts.out ?? path.join(path.dirname(loaded.path), `dump-${target}`);
      const m = unwrapOrExit(dumpSolution(loaded, out, { target, golden: Number(opts.golden) }), json);
      if (json) {
        printJson({ out: path.resolve(out), manifest: m });
        return;
      }
      const lines = [
        `dump of ${m.family} [${m.arch.join(',')}] for ${m.target} → ${path.resolve(out)}`,
        `inas ${m.inas_version}, settings digest ${m.settings_digest.slice(0, 12)}, model id 0x${m.model_id.toString(16).padStart(8, '0')}`,
        '',
        `${'layer'.padEnd(12)} ${'design'.padEnd(24)} ${'tiles'.padStart(7)} ${'commits'.padStart(8)} ${'psum steps'.padStart(10)} ${'weights B'.padStart(10)}`,
        ...m.layers.map((l) => `${l.name.padEnd(12)} ${l.design.padEnd(24)} ${String(l.tiles).padStart(7)} ${String(l.batches).padStart(8)} ${String(l.psum_steps).padStart(10)} ${String(l.w_size_bytes).padStart(10)}`),
        '',
        `NVM ${m.nvm.size_bytes} B (2 feature buffers of ${m.nvm.fm_buffer_bytes} B, psum buffers of ${4 * m.nvm.psum_elems} B, weights ${m.nvm.weights_size_bytes} B at ${m.nvm.weights_addr})`,
        `SRAM tile buffers ${m.sram.size_bytes} B of ${m.sram.budget_bytes} B`,
        `weights.bin ${m.weights.size_bytes} B, CRC32 0x${m.weights.crc32.toString(16).padStart(8, '0')}; golden.bin ${m.golden.count} vectors`,
        `files: ${Object.keys(m.files).join(', ')}, manifest.json`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }));
}
