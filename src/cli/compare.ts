/**
 * `inas compare <settings>`: an iNAS (int) and a HW-NAS (cont) search per run with the same budget, the HW-NAS
 * solutions re-costed under intermittent power, and a table + HTML page (compare.md, compare.html, compare.json).
 */
import type { Command } from 'commander';
import path from 'node:path';
import { SETTINGS_FLAGS } from '../settings/index.ts';
import { action, addSettingsFlags, exitWithIssues, loadSettingsOrExit, printJson, usageError } from './common.ts';
import { EXIT } from './exit_codes.ts';
import { formatDuration } from './progress.ts';

export function define(program: Command): void {
  const names = SETTINGS_FLAGS.map((f) => f.flag).filter((n) => n !== 'power');
  const cmd = program
    .command('compare')
    .description('iNAS vs hardware-aware NAS: int and cont searches with the same budget, HW-NAS re-costed under intermittent power')
    .argument('<settings>', 'settings JSON file')
    .option('--runs <n>', 'run ids (seeds seed..seed+n-1)', '1')
    .option('--out <dir>', 'folder of the comparison (default: <output.dir>/compare_<name>)')
    .option('--top-k <n>', 'children re-trained stand-alone at the end (supernet evaluator)', '3')
    .option('--tau-samples <n>', 'children for the supernet Kendall tau (0 = skip)', '0')
    .option('--latreq-samples <n>', 'random feasible children for a percentile latency requirement', '300')
    .option('--no-package', 'do not package the best children (no best.json)')
    .option('--quiet', 'no progress lines')
    .option('--json', 'print the comparison as JSON');
  addSettingsFlags(cmd, names);
  cmd.action(action(async (file: string, opts: Record<string, unknown>) => {
    const json = Boolean(opts['json']);
    const quiet = Boolean(opts['quiet']);
    const nat = (k: string, flag: string): number => {
      const n = Number(opts[k]);
      if (!Number.isInteger(n) || n < 0) usageError(`--${flag}: expected a non-negative integer (got "${String(opts[k])}")`);
      return n;
    };
    const runs = nat('runs', 'runs');
    if (runs < 1) usageError('--runs: expected at least 1');
    const loaded = loadSettingsOrExit(file, opts, names, json);
    const s = loaded.settings;
    const { compareSearches, packagerFor, writeFileAtomic } = await import('../nas/index.ts');
    const { compareHtml, compareMarkdown } = await import('../report/index.ts');
    const dir = opts['out'] ? String(opts['out']) : path.join(s.output.dir, `compare_${s.name || s.dataset.name}`);
    const ac = new AbortController();
    const onSigint = (): void => { if (ac.signal.aborted) process.exit(EXIT.interrupted); ac.abort(); };
    process.on('SIGINT', onSigint);
    const r = await compareSearches({
      settings: s, runs, dir, signal: ac.signal, ...(opts['package'] === false ? {} : { packager: packagerFor() }),
      overrides: { top_k: nat('topK', 'top-k'), tau_samples: nat('tauSamples', 'tau-samples'), latreq_samples: nat('latreqSamples', 'latreq-samples') },
      onEvent: (e) => {
        if (quiet) return;
        if (e.kind === 'trial') {
          const t = e.record;
          process.stderr.write(`[run ${e.run} ${e.mode}] trial ${e.n}/${e.total} [${t.arch.join(',')}] ${t.feasible ? 'feasible' : `gated: ${t.reason}`}` +
            ` acc ${t.accuracy === null ? '–' : t.accuracy.toFixed(3)} ETA ${formatDuration(e.eta_s)}\n`);
        } else if (e.kind === 'phase') {
          process.stderr.write(`[run ${e.run} ${e.mode}] ${e.message}\n`);
        } else if (e.kind === 'warning') {
          process.stderr.write(`[run ${e.run} ${e.mode}] warning: ${e.issue.path}: ${e.issue.message}\n`);
        }
      },
    });
    process.off('SIGINT', onSigint);
    if (!r.ok) exitWithIssues(r.issues, json);
    const c = r.value;
    const md = compareMarkdown(c);
    writeFileAtomic(path.join(dir, 'compare.json'), JSON.stringify(c, null, 2) + '\n');
    writeFileAtomic(path.join(dir, 'compare.md'), md);
    writeFileAtomic(path.join(dir, 'compare.html'), compareHtml(c));
    if (json) printJson({ dir, html: path.join(dir, 'compare.html'), markdown: path.join(dir, 'compare.md'), ...c });
    else process.stdout.write(md + `\nwritten: ${path.join(dir, 'compare.html')}\n`);
  }));
}
