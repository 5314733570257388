/**
 * `inas search <settings>`: the architecture search (iNAS or plain HW-NAS mode), resumable with `--resume <run dir>`.
 * Prints one progress line per trial on stderr; `--json` prints one final summary object on stdout.
 */
import type { Command } from 'commander';
import { SETTINGS_FLAGS } from '../settings/index.ts';
import { action, addSettingsFlags, exitWithIssues, loadSettingsOrExit, printJson, usageError } from './common.ts';
import { EXIT } from './exit_codes.ts';
import { createProgress, formatDuration, type Progress } from './progress.ts';

const int = (v: unknown, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) usageError(`--${flag}: expected a non-negative integer (got "${String(v)}")`);
  return n;
};

const fmtNum = (x: number | null | undefined, d = 3): string => (x === null || x === undefined ? '–' : x.toPrecision(d));

export function define(program: Command): void {
  const names = SETTINGS_FLAGS.map((f) => f.flag);
  const cmd = program
    .command('search')
    .description('search architectures (iNAS: --mode int; hardware-aware NAS baseline: --mode cont); resumable')
    .argument('[settings]', 'settings JSON file (not needed with --resume)')
    .option('--mode <mode>', 'int (intermittent cost model, exec + preservation design) | cont (continuous power, S = 1)')
    .option('--out <dir>', 'parent folder of the run directory (default: settings output.dir, "solution_dump")')
    .option('--name <name>', 'run directory name (default: derived from settings, mode, controller, seed and time)')
    .option('--resume <run dir>', 'continue a search from its run directory; with --trials N, extend it to N trials in total')
    .option('--top-k <n>', 'children re-trained stand-alone at the end (supernet evaluator)', '3')
    .option('--tau-samples <n>', 'children for the supernet Kendall tau (0 = skip)', '20')
    .option('--supernet-epochs <n>', 'supernet training epochs (default: search.supernet.epochs)')
    .option('--standalone-epochs <n>', 'stand-alone training epochs for top-k, tau and the final model (default: --epochs)')
    .option('--latreq-samples <n>', 'random feasible children costed for a percentile latency requirement', '300')
    .option('--no-package', 'do not train, quantize and package the best child (no best.json)')
    .option('--quiet', 'no progress lines')
    .option('--json', 'print one final JSON summary object');
  addSettingsFlags(cmd, names);
  cmd.action(action(async (file: string | undefined, opts: Record<string, unknown>) => {
    const json = Boolean(opts['json']);
    const quiet = Boolean(opts['quiet']);
    const mode = opts['mode'] as string | undefined;
    if (mode !== undefined && mode !== 'int' && mode !== 'cont') usageError(`--mode: expected int or cont (got "${mode}")`);
    const resume = opts['resume'] as string | undefined;
    if (!resume && !file) usageError('search: give a settings file, or --resume <run dir>');
    const { searchRun, packagerFor } = await import('../nas/index.ts');
    let settings;
    if (!resume && file) {
      if (mode) opts['power'] = mode;
      settings = loadSettingsOrExit(file, opts, names, json).settings;
    }
    const overrides = {
      // with --resume, --trials sets the run's total (settings flags are otherwise read from the settings file)
      ...(resume && opts['trials'] !== undefined ? { trials: int(opts['trials'], 'trials') as number } : {}),
      ...(int(opts['topK'], 'top-k') !== undefined ? { top_k: int(opts['topK'], 'top-k') as number } : {}),
      ...(int(opts['tauSamples'], 'tau-samples') !== undefined ? { tau_samples: int(opts['tauSamples'], 'tau-samples') as number } : {}),
      ...(int(opts['supernetEpochs'], 'supernet-epochs') !== undefined ? { supernet_epochs: int(opts['supernetEpochs'], 'supernet-epochs') as number } : {}),
      ...(int(opts['standaloneEpochs'], 'standalone-epochs') !== undefined ? { standalone_epochs: int(opts['standaloneEpochs'], 'standalone-epochs') as number } : {}),
      ...(int(opts['latreqSamples'], 'latreq-samples') !== undefined ? { latreq_samples: int(opts['latreqSamples'], 'latreq-samples') as number } : {}),
    };
    const log = (line: string): void => { if (!quiet) process.stderr.write(line + '\n'); };
    // Dataset warnings (e.g. a decoded cache that cannot be written) are printed like `inas train` does, even with
    // --quiet or --json, once each (the fault-tolerant reward loads the dataset a second time).
    const warned = new Set<string>();
    const warn = (w: { path: string; message: string }): void => {
      const line = `warning: ${w.path}: ${w.message}`;
      if (warned.has(line)) return;
      warned.add(line);
      process.stderr.write(line + '\n');
    };
    // Fault-tolerant search (FTT-NAS style): blend clean and faulty accuracy when search.fault_alpha > 0.
    const { readSearchState } = await import('../nas/index.ts');
    const resumed = resume ? readSearchState(resume) : undefined;
    const effective = settings ?? (resumed?.ok ? resumed.value.settings : undefined);
    let faultyAccuracy;
    if (effective && effective.search.fault_alpha > 0) {
      const { loadDataset } = await import('../data/index.ts');
      const { createFaultyAccuracy } = await import('../faults/index.ts');
      const d = await loadDataset(effective.dataset, { seed: effective.search.seed, onWarning: warn });
      if (!d.ok) exitWithIssues(d.issues, json);
      const [h = 1, w = 1, c = 1] = effective.search_space.input_shape;
      const n = h * w * c;
      const v = d.value.validation.count > 0 ? d.value.validation : d.value.train;
      const count = Math.min(200, v.count);
      faultyAccuracy = createFaultyAccuracy({
        calibration: d.value.train.x.subarray(0, Math.min(500, d.value.train.count) * n),
        split: { x: v.x.subarray(0, count * n), y: v.y.subarray(0, count), count },
        runs: 10,
      });
      log(`inas: fault-tolerant reward: (1 - ${effective.search.fault_alpha}) x clean + ${effective.search.fault_alpha} x accuracy under weight bit flips at BER ${effective.search.fault_ber}` +
        ` on ${(effective.training.weight_bits ?? 16) === 8 ? 'int8' : 'Q15'} weights`);
    }
    const ac = new AbortController();
    let sigints = 0;
    const onSigint = (): void => {
      sigints++;
      if (sigints > 1) process.exit(EXIT.interrupted);
      process.stderr.write('\ninas: interrupt: stopping after saving the state (Ctrl-C again to quit at once)\n');
      ac.abort();
    };
    process.on('SIGINT', onSigint);
    let bar: Progress | null = null;
    let barPhase = '';
    const r = await searchRun({
      ...(settings ? { settings } : {}),
      ...(resume ? { resumeDir: resume } : {}),
      ...(opts['out'] ? { outDir: String(opts['out']) } : {}),
      ...(opts['name'] ? { runName: String(opts['name']) } : {}),
      overrides,
      ...(faultyAccuracy ? { faultyAccuracy } : {}),
      signal: ac.signal,
      ...(opts['package'] === false ? {} : { packager: packagerFor() }),
      onEvent: (e) => {
        if (e.kind === 'warning') {
          warn(e.issue);
        } else if (e.kind === 'phase') {
          bar?.finish(); bar = null;
          log(`inas: ${e.message}`);
        } else if (e.kind === 'progress') {
          if (e.progress.phase !== 'supernet') return; // per-child training is summarised by the trial line
          if (!bar || barPhase !== e.progress.phase) {
            bar = createProgress({ label: e.progress.phase, total: e.progress.total, quiet });
            barPhase = e.progress.phase;
          }
          bar.update(e.progress.done, e.progress.status);
        } else {
          if (bar) { (bar as Progress).finish(); bar = null; }
          const t = e.record;
          const status = t.feasible ? 'feasible' : `gated: ${t.reason}`;
          log(`trial ${e.n}/${e.total} [${t.arch.join(',')}] ${status} lat ${fmtNum(t.latency_s)} s acc ${fmtNum(t.accuracy)}` +
            `${t.cached ? ' (cached)' : ''} reward ${t.reward.toFixed(3)} best ${fmtNum(e.best?.accuracy)}` +
            `${e.best ? ` [${e.best.arch.join(',')}]` : ''} ETA ${formatDuration(e.eta_s)}`);
        }
      },
    });
    process.off('SIGINT', onSigint);
    if (!r.ok) exitWithIssues(r.issues, json);
    const sm = r.value;
    if (json) {
      printJson({ run_dir: sm.run_dir, best: sm.best, trials: sm.trials, trained: sm.trained, gated: sm.gated, wall_s: sm.wall_s,
        interrupted: sm.interrupted, mode: sm.mode, controller: sm.controller, evaluator: sm.evaluator,
        latency_requirement_s: sm.latency_requirement.latency_s, best_trial: sm.best_trial, kendall_tau: sm.kendall_tau,
        tau_children: sm.tau_children, best_standalone_accuracy: sm.best_standalone_accuracy, accuracy_q15: sm.accuracy_q15,
        weight_bits: sm.weight_bits, package_error: sm.package_error, warnings: sm.warnings });
    } else {
      const b = sm.best_trial;
      process.stdout.write([
        `${sm.interrupted ? 'interrupted' : 'done'}: ${sm.trials} trials (${sm.trained} trained, ${sm.gated} gated) in ${formatDuration(sm.wall_s)}`,
        `run dir        ${sm.run_dir}`,
        `latency req    ${fmtNum(sm.latency_requirement.latency_s, 4)} s${sm.latency_requirement.percentile ? ` (${sm.latency_requirement.percentile})` : ''}`,
        `best child     ${b ? `[${b.arch.join(',')}] acc ${fmtNum(b.accuracy)} latency ${fmtNum(b.latency_s, 4)} s` : 'none'}`,
        ...(sm.kendall_tau !== null ? [`kendall tau    ${sm.kendall_tau.toFixed(3)} (${sm.tau_children} children)`] : []),
        `weight width   ${sm.weight_bits === 8 ? '8 bits (int8 weights, Q15 activations)' : '16 bits (Q15)'}`,
        ...(sm.accuracy_q15 !== null ? [`${sm.weight_bits === 8 ? 'int8 accuracy ' : 'Q15 accuracy  '} ${fmtNum(sm.accuracy_q15)}`] : []),
        `best.json      ${sm.best ?? (sm.package_error ? `not written: ${sm.package_error}` : '–')}`,
        ...(sm.interrupted ? [`resume with    inas search --resume ${sm.run_dir}`] : []),
      ].join('\n') + '\n');
    }
    if (sm.interrupted) process.exit(EXIT.interrupted);
  }));
}
