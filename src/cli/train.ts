/**
 * `inas train --settings <f> --arch <a>`: trains one architecture, quantizes it to Q15, evaluates float and Q15 on
 * the test split and writes a solution folder (solution.json + weights.bin + samples.bin).
 */
import type { Command } from 'commander';
import { action, addSettingsFlags, loadSettingsOrExit, printJson, unwrapOrExit, usageError } from './common.ts';
import { createProgress, formatDuration, type Progress } from './progress.ts';

const FLAGS = ['epochs', 'backend', 'batch-size', 'seed', 'train-subset', 'data-dir', 'power', 'compat', 'ccap', 'vm-capacity', 'bit-error-rate', 'bit-error-ramp', 'weight-clip', 'weight-bits'];

interface TrainFlags {
  settings?: string;
  arch?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

export function define(program: Command): void {
  const cmd = program
    .command('train')
    .description('train one architecture, quantize it to Q15, evaluate float and Q15 accuracy on the test split, write a solution')
    .requiredOption('--settings <file>', 'settings file (inas or original iNAS format)')
    .requiredOption('--arch <list>', 'action vector, e.g. "3,8,3,16" (conv: kernel,filters per layer; fc: units per layer)')
    .option('--out <dir>', 'solution folder (default <output.dir>/train_<family>_<arch>)')
    .option('--quiet', 'no progress bars')
    .option('--json', 'print { backend, accuracy: { float, q15 }, params, macs, elapsed_s, solution } as JSON');
  addSettingsFlags(cmd, FLAGS);
  cmd.action(action(async (opts: TrainFlags & Record<string, unknown>) => {
    const json = Boolean(opts.json);
    const loaded = loadSettingsOrExit(opts.settings ?? '', opts, FLAGS, json);
    const bits = loaded.settings.training.weight_bits;
    const { parseArch } = await import('../network/index.ts');
    const arch = unwrapOrExit(parseArch(opts.arch ?? '', '--arch'), json);
    const { trainAndPackage } = await import('../nas/index.ts');
    const quiet = Boolean(opts.quiet);
    let bar: Progress | null = null;
    const log = (line: string): void => { if (!quiet) process.stderr.write(`${line}\n`); };
    const r = await trainAndPackage(loaded, arch, {
      weightBits: bits,
      ...(opts.out ? { outDir: opts.out } : {}),
      onPhase: (phase, detail) => {
        if (phase === 'data') log(`loading dataset ${detail ?? ''}…`);
        if (phase === 'warning') process.stderr.write(`warning: ${detail ?? ''}\n`);
        if (phase === 'quantize') log(bits === 8 ? 'quantizing (int8 weights, Q15 activations)…' : 'quantizing to Q15…');
        if (phase === 'evaluate' && detail === 'q15') log('evaluating the Q15 reference on the test split…');
      },
      onBatch: (b) => {
        if (quiet) return;
        if (!bar || b.batch === 1) {
          bar = createProgress({ label: `epoch ${b.epoch}/${b.epochs}`, total: b.samples_total, unit: 'samples' });
        }
        bar.update(b.samples_done, `loss ${b.loss.toFixed(4)} (total ETA ${formatDuration(b.eta_s)})`);
      },
      onEpoch: (e) => {
        bar?.finish(`loss ${e.loss.toFixed(4)}${e.val_accuracy !== null ? ` val ${(100 * e.val_accuracy).toFixed(2)}%` : ''}${e.best ? ' *' : ''}`);
        bar = null;
      },
    });
    const v = unwrapOrExit(r, json);
    if (json) {
      printJson(v);
      return;
    }
    const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
    const lines = [
      `backend            ${v.backend}`,
      `arch               ${arch.join(',')} (${v.params} params, ${v.macs} MACs)`,
      `accuracy (test)    float ${pct(v.accuracy.float)}  Q15${bits === 8 ? ' (int8 weights)' : ''} ${pct(v.accuracy.q15)}  drop ${(100 * (v.accuracy.float - v.accuracy.q15)).toFixed(2)} points (${v.test_samples} samples)`,
      `design             ${v.feasible ? 'feasible' : 'INFEASIBLE on this platform'}${v.predicted.latency_s !== null ? `, predicted latency ${v.predicted.latency_s.toFixed(3)} s` : ''}${v.predicted.power_cycles !== null ? `, ${v.predicted.power_cycles} power cycles` : ''}`,
      `elapsed            ${formatDuration(v.elapsed_s)} (${v.epochs_run} epochs, ${v.train_samples_per_s.toFixed(0)} samples/s)`,
      `solution           ${v.solution}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }));
}
