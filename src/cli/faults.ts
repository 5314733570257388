/**
 * `inas faults <solution.json|dump dir>`: fault-injection campaigns on the deployed Q15 model, on the TS engine
 * (the integer-exact Q15 reference) or the firmware engine (the host-built C firmware, faults at NVM addresses),
 * and `inas faults-replay <log> --run K`: re-run one logged run and check it reproduces.
 */
import type { Command } from 'commander';
import path from 'node:path';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { action, exitWithIssues, printJson, unwrapOrExit, usageError } from './common.ts';
import { createProgress } from './progress.ts';

interface FaultsOpts {
  model?: string; target?: string; ber?: string; count?: string; rate?: string; scaleBy?: string; bits?: string;
  excludeBits?: string; layers?: string; burst?: string; persistence?: string; runs?: string; margin?: string;
  confidence?: string; engine?: string; seed?: string; protect?: string; workers?: string; log?: string; json?: boolean;
  failures?: string; torn?: boolean; tornShape?: string; actLoad?: string; psumStep?: string; progressCheck?: string; samples?: string;
}

const pkgVersion = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Resolves a solution path from a solution file, a run folder or a dump folder (manifest.json → solution). */
function solutionPath(target: string): string {
  if (existsSync(target) && statSync(target).isDirectory()) {
    const manifest = path.join(target, 'manifest.json');
    if (existsSync(manifest)) {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { solution?: string; source?: string | null };
      const src = m.solution ?? m.source;
      if (src) return path.resolve(target, src);
    }
    for (const f of ['solution.json', 'best.json']) if (existsSync(path.join(target, f))) return path.join(target, f);
  }
  return target;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

const TORN_SHAPE = /^(byte|cut(:\d+)?|stale(:\d+)?)$/;

/**
 * Rewrites the old torn-write spellings to `--torn --torn-shape SHAPE`: `--torn=X` (any X; checked later) and
 * `--torn X` when X looks like a shape (byte, cut, cut:K, stale, stale:K). Anything else after `--torn` stays where it
 * is (an operand or another option). Stops at `--`.
 */
export function tornArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { out.push(...args.slice(i)); break; }
    if (a.startsWith('--torn=')) out.push('--torn', '--torn-shape', a.slice('--torn='.length));
    else if (a === '--torn' && i + 1 < args.length && TORN_SHAPE.test(args[i + 1]!)) { out.push('--torn', '--torn-shape', args[i + 1]!); i++; }
    else out.push(a);
  }
  return out;
}

export function define(program: Command): void {
  const cmd = program
    .command('faults')
    .description('fault-injection campaign on a deployed Q15 model (weights, activations, scales, runtime state), with statistics')
    .argument('<target>', 'solution.json, a run folder, or a dump folder')
    .option('--model <kind>', 'bitflip | burst | stuck0 | stuck1 | random', 'bitflip')
    .option('--target <what>', 'weights | activations (firmware: SRAM copies, volatile) | scales (engine ts) | state (engine firmware: NVM header, progress records) | psums (engine firmware: 32-bit step-1 partial sums as loaded into SRAM)', 'weights')
    .option('--ber <rates>', 'bit error rate per stored bit; a comma list sweeps a curve (e.g. 1e-5,1e-4,1e-3)')
    .option('--count <n>', 'exact number of faults per run')
    .option('--rate <r>', 'fault rate scaled by --scale-by (macs | bits)')
    .option('--scale-by <what>', 'macs | bits')
    .option('--bits <range>', 'bit positions: all | msb | 7 | 0-7 (0..15 for Q15 words, 0..7 for int8 weights, 0..31 for psums)', 'all')
    .option('--exclude-bits <list>', 'bit positions never hit, e.g. 15')
    .option('--layers <names>', 'restrict to layers, e.g. FC_0,FC_END')
    .option('--burst <n>', 'adjacent bits of a burst fault', '2')
    .option('--persistence <p>', 'transient | permanent')
    .option('--runs <n>', 'number of runs (fault patterns)')
    .option('--margin <e>', 'plan runs for this error margin (Leveugle 2009)')
    .option('--confidence <c>', 'confidence of the margin', '0.95')
    .option('--engine <e>', 'ts (Q15 reference) | firmware (host-built C firmware, faults at NVM addresses)', 'ts')
    .option('--protect <p>', 'runtime protection: none | crc (weights CRC checked at boot)', 'none')
    .option('--progress-check <c>', 'firmware: crc (CRC-checked progress records, as shipped) | none (unprotected build) | both (compare)', 'crc')
    .option('--failures <schedule>', 'firmware: power failures during runs: none | every:N | every-cycles:N | random[:MEAN] (seeded per run) | energy', 'none')
    .option('--torn', 'firmware: a power failure tears the NVM write it hits (shape: --torn-shape; default a random byte prefix)')
    .option('--torn-shape <shape>', 'firmware, implies --torn: byte (a random byte prefix lands) | cut[:K] (the first K 16-bit words land; K seeded-random) | stale[:K] (all but word K land)')
    .option('--act-load <k>', 'firmware, --target activations: 0 = the word is corrupted in every load into SRAM by its consumer (TS semantics), K = only in the K-th load', '0')
    .option('--psum-step <s>', 'firmware, --target psums: the accumulation step (0-based, >= 1) whose load of the sums of steps 0..s-1 is corrupted; only layers with more than s steps', '1')
    .option('--samples <n>', 'inputs evaluated per run (default: all for ts; min(all, 100) for firmware from a solution)')
    .option('--seed <s>', 'seed (runs are reproducible from it)', '1')
    .option('--workers <n>', 'worker threads (default: both cores for large campaigns)')
    .option('--log <file>', 'where to write the replayable log (JSON lines)')
    .option('--json', 'print the summary as JSON');
  // Old spellings `--torn SHAPE` and `--torn=SHAPE` keep working: a token after --torn is read as its shape only when it
  // is one (never a solution path), so `inas faults --torn sol.json` reads sol.json as the target.
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => parseOptions(tornArgs(args));
  cmd.action(action(async (target: string, opts: FaultsOpts) => {
    const json = Boolean(opts.json);
    const { readSolution, quantizeInput } = await import('../quant/index.ts');
    const faults = await import('../faults/index.ts');
    const engine = opts.engine ?? 'ts';
    if (engine !== 'ts' && engine !== 'firmware') usageError(`--engine: must be ts or firmware (got "${engine}")`);
    const protect = opts.protect === 'crc' ? 'crc' : opts.protect === 'none' ? 'none' : usageError(`--protect: must be none or crc (got "${opts.protect}")`);
    const seed = Number(opts.seed);
    if (!Number.isInteger(seed)) usageError(`--seed: expected an integer (got "${opts.seed}")`);
    const runs = opts.runs === undefined ? undefined : Number(opts.runs);
    if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) usageError(`--runs: expected a positive integer (got "${opts.runs}")`);
    const samples = opts.samples === undefined ? undefined : Number(opts.samples);
    if (samples !== undefined && !(Number.isInteger(samples) && samples > 0)) usageError(`--samples: expected a positive integer (got "${opts.samples}")`);
    const failures = opts.failures ?? 'none';
    const actLoad = Number(opts.actLoad ?? '0');
    if (!(Number.isInteger(actLoad) && actLoad >= 0)) usageError(`--act-load: expected a non-negative integer (got "${opts.actLoad}")`);
    const psumStep = Number(opts.psumStep ?? '1');
    if (!(Number.isInteger(psumStep) && psumStep >= 1)) usageError(`--psum-step: expected an integer >= 1 (step 0 starts from zero and loads no sums; got "${opts.psumStep}")`);
    if (psumStep !== 1 && opts.target !== 'psums') usageError(`--psum-step: only with --target psums (got --target ${opts.target ?? 'weights'})`);
    const torn: boolean | string = opts.tornShape ?? Boolean(opts.torn);
    const progressCheck = opts.progressCheck ?? 'crc';
    if (!['crc', 'none', 'both'].includes(progressCheck)) usageError(`--progress-check: must be crc, none or both (got "${progressCheck}")`);
    if (engine === 'ts') {
      if (failures !== 'none' || torn || progressCheck !== 'crc' || actLoad !== 0) usageError('--failures, --torn/--torn-shape, --act-load and --progress-check need --engine firmware (the TS engine has no power failures)');
    } else {
      const bad = faults.checkCampaignFailures(failures);
      if (bad) usageError(`--failures: ${bad}`);
      if (torn && failures === 'none') usageError(`${opts.tornShape !== undefined ? '--torn-shape' : '--torn'}: tears the write a power failure hits; give --failures too`);
      if (typeof torn === 'string') { const bad = faults.checkTornShape(torn); if (bad) usageError(`--torn-shape: ${bad}`); }
    }

    // The model, its inputs and labels (TS engine), or the dumped + built firmware (firmware engine).
    let q: import('../quant/index.ts').QModel;
    let solutionFile: string;
    let inputs: Int16Array[] = [];
    let labels = new Int32Array(0);
    let prepared: import('./faults_firmware.ts').PreparedFirmware | null = null;
    if (engine === 'firmware') {
      const { prepareFirmware } = await import('./faults_firmware.ts');
      prepared = unwrapOrExit(await prepareFirmware(target, solutionPath(target), samples), json);
      q = prepared.q;
      solutionFile = prepared.loaded.path;
    } else {
      const loaded = unwrapOrExit(readSolution(solutionPath(target)), json);
      if (!loaded.qmodel) exitWithIssues([{ code: 'invalid_file', path: loaded.path, message: 'this solution has no trained weights (design only); train it first (inas train)' }], json);
      if (!loaded.samples || loaded.samples.count === 0) exitWithIssues([{ code: 'invalid_file', path: loaded.path, message: 'this solution has no test samples to evaluate faults on' }], json);
      q = loaded.qmodel;
      solutionFile = loaded.path;
      const s = loaded.samples;
      const n = q.net.input[0] * q.net.input[1] * q.net.input[2];
      const count = Math.min(samples ?? s.count, s.count);
      inputs = Array.from({ length: count }, (_, i) => quantizeInput(s.x.subarray(i * n, (i + 1) * n), q.input_frac));
      labels = s.y.slice(0, count);
    }
    const variants: ('crc' | 'none')[] = engine === 'ts' ? ['crc'] : progressCheck === 'both' ? ['crc', 'none'] : [progressCheck as 'crc' | 'none'];
    const bers = opts.ber ? opts.ber.split(',').map((x) => x.trim()) : [undefined];
    const results: Record<string, unknown>[] = [];
    const rows: string[] = [];
    for (const ber of bers) {
      const spec = unwrapOrExit(faults.parseFaultSpec({
        ...(opts.model !== undefined ? { model: opts.model } : {}), ...(opts.target !== undefined ? { target: opts.target } : {}),
        ...(ber !== undefined ? { ber } : {}), ...(opts.count !== undefined ? { count: opts.count } : {}),
        ...(opts.rate !== undefined ? { rate: opts.rate } : {}), ...(opts.scaleBy !== undefined ? { scaleBy: opts.scaleBy } : {}),
        ...(opts.bits !== undefined ? { bits: opts.bits } : {}), ...(opts.excludeBits !== undefined ? { excludeBits: opts.excludeBits } : {}),
        ...(opts.layers !== undefined ? { layers: opts.layers } : {}), ...(opts.burst !== undefined ? { burst: opts.burst } : {}),
        ...(opts.persistence !== undefined ? { persistence: opts.persistence } : {}),
      }), json);
      if (engine === 'firmware') {
        const why = faults.firmwareSpecIssue(spec);
        if (why) usageError(`--target: ${why}`);
      }
      const planned = unwrapOrExit(faults.plannedRuns(q, {
        spec, seed, ...(runs !== undefined ? { runs } : {}),
        ...(opts.margin !== undefined ? { margin: Number(opts.margin) } : { runs: runs ?? 1000 }),
        confidence: Number(opts.confidence),
      }, prepared ? faults.firmwareSpace(q, spec, prepared.layers, psumStep) : undefined), json);
      for (const variant of variants) {
        const label = `${ber !== undefined ? `ber ${ber}` : spec.target}${variants.length > 1 ? ` progress-${variant}` : ''}`;
        const bar = createProgress({ label: `faults ${label}`, total: planned.runs, unit: 'runs', quiet: json });
        let res: import('../faults/index.ts').CampaignResult;
        let fw: { dump: string; progress_check: 'crc' | 'none'; failures: string; torn: boolean | string; act_load?: number; psum_step?: number } | undefined;
        if (prepared) {
          const fwTarget = unwrapOrExit(await prepared.build({ progressCheck: variant, bootWeightsCrc: protect === 'crc', failures, torn, activationLoad: actLoad, ...(psumStep !== 1 ? { psumStep } : {}) }), json);
          res = unwrapOrExit(await faults.runFirmwareCampaign(q, fwTarget, {
            spec, seed, runs: planned.runs, protect, ...(opts.workers !== undefined ? { processes: Number(opts.workers) } : {}),
            onProgress: (d) => bar.update(d),
          }), json);
          fw = { dump: prepared.dumpDir, progress_check: variant, failures, torn, ...(actLoad ? { act_load: actLoad } : {}), ...(psumStep !== 1 ? { psum_step: psumStep } : {}) };
        } else {
          res = unwrapOrExit(await faults.runTsCampaign(q, inputs, labels, {
            spec, seed, runs: planned.runs, protect,
            ...(opts.workers !== undefined ? { workers: Number(opts.workers) } : planned.runs >= 2000 ? {} : { workers: 0 }),
            onProgress: (d) => bar.update(d),
          }), json);
        }
        bar.finish();
        const tag = `${ber !== undefined ? `ber${ber}` : spec.amount.kind}${variants.length > 1 ? `-progress-${variant}` : ''}`;
        const logFile = opts.log
          ? (bers.length > 1 || variants.length > 1 ? opts.log.replace(/(\.jsonl)?$/, `-${tag}.jsonl`) : opts.log)
          : path.join(path.dirname(solutionFile), 'faults', `${engine}-${spec.target}-${spec.model}-${tag}-seed${seed}.jsonl`);
        mkdirSync(path.dirname(logFile), { recursive: true });
        unwrapOrExit(faults.writeLog(logFile, {
          kind: 'inas-faults-log', version: 1, inas_version: pkgVersion(), engine, solution: solutionFile, spec, seed, protect,
          samples: res.inferences_per_run, runs: res.runs, ...(fw ? { firmware: fw } : {}),
        }, res.outcomes), json);
        const { outcomes: _o, ...summary } = res;
        results.push({ ...summary, ...(ber !== undefined ? { ber: Number(ber) } : {}), log: logFile, spec, seed, protect, ...(fw ? { firmware: fw } : {}) });
        rows.push(`${label.padEnd(22)} ${String(res.runs).padStart(7)} ${pct(res.accuracy.clean).padStart(8)} ${pct(res.accuracy.mean).padStart(8)} ` +
          `[${pct(res.accuracy.ci95[0])}, ${pct(res.accuracy.ci95[1])}]  ${pct(res.sdc_rate.mean).padStart(8)} ${pct(res.due_rate).padStart(7)} ${String(Math.round(res.runs_per_min)).padStart(8)}` +
          `${Object.keys(res.due_kinds).length ? `  DUE: ${Object.entries(res.due_kinds).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`);
      }
    }
    if (json) {
      printJson(results.length === 1 ? results[0] : { engine, [bers.length > 1 ? 'curve' : 'variants']: results });
      return;
    }
    const last = results[results.length - 1] as { per_layer: { key: string; faults: number; rate: number }[]; per_bit: { key: string; faults: number; rate: number }[]; log: string; planned_runs: number; population: number };
    process.stdout.write(`engine ${engine}\nrate/amount              runs   clean     mean      95% CI               SDC      DUE   runs/min\n${rows.join('\n')}\n`);
    process.stdout.write(`\nper-layer vulnerability (runs with a fault there that caused an SDC):\n`);
    for (const v of last.per_layer) process.stdout.write(`  ${v.key.padEnd(12)} faults ${String(v.faults).padStart(7)}  SDC-run rate ${pct(v.rate)}\n`);
    process.stdout.write(`per-bit vulnerability:\n  ${last.per_bit.map((v) => `${v.key}:${pct(v.rate)}`).join('  ')}\n`);
    process.stdout.write(`\nlog: ${last.log}  (replay a run: inas faults-replay ${last.log} --run 0)\n`);
  }));

  program
    .command('faults-replay')
    .description('re-run one run of a fault log from its seed and check it reproduces the logged faults and outcome')
    .argument('<log>', 'a log written by inas faults')
    .requiredOption('--run <k>', 'run index')
    .option('--json', 'print the result as JSON')
    .action(action(async (logFile: string, opts: { run: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      const faults = await import('../faults/index.ts');
      const { readSolution, quantizeInput } = await import('../quant/index.ts');
      const log = unwrapOrExit(faults.readLog(logFile), json);
      const k = Number(opts.run);
      const logged = log.outcomes.find((o) => o.run === k);
      if (!logged) usageError(`--run: the log has runs 0..${log.header.runs - 1} (got "${opts.run}")`);
      let again: import('../faults/index.ts').RunOutcome;
      const fw = log.header.firmware;
      if (log.header.engine === 'firmware') {
        if (!fw) exitWithIssues([{ code: 'invalid_file', path: logFile, message: 'a firmware-engine log without its "firmware" header (dump, build, failures)' }], json);
        const { prepareFirmware } = await import('./faults_firmware.ts');
        const prepared = unwrapOrExit(await prepareFirmware(fw.dump, log.header.solution, log.header.samples), json);
        const target = unwrapOrExit(await prepared.build({ progressCheck: fw.progress_check, bootWeightsCrc: log.header.protect === 'crc', failures: fw.failures, torn: fw.torn, ...(fw.act_load ? { activationLoad: fw.act_load } : {}), ...(fw.psum_step ? { psumStep: fw.psum_step } : {}) }), json);
        again = unwrapOrExit(await faults.replayFirmwareRun(prepared.q, target, log.header.spec, log.header.seed, k), json);
      } else {
        const loaded = unwrapOrExit(readSolution(log.header.solution), json);
        const q = loaded.qmodel;
        const s = loaded.samples;
        if (!q || !s) exitWithIssues([{ code: 'invalid_file', path: loaded.path, message: 'the solution of this log has no weights or samples' }], json);
        const n = q.net.input[0] * q.net.input[1] * q.net.input[2];
        const count = Math.min(log.header.samples, s.count);
        const inputs = Array.from({ length: count }, (_, i) => quantizeInput(s.x.subarray(i * n, (i + 1) * n), q.input_frac));
        again = faults.replayRun(q, inputs, s.y.slice(0, count), log.header.spec, log.header.seed, k, log.header.protect === 'crc' ? 'crc' : 'none');
      }
      const match = JSON.stringify(again) === JSON.stringify(logged);
      if (json) printJson({ run: k, match, logged, replayed: again });
      else process.stdout.write(`run ${k}: ${match ? 'reproduced' : 'DIFFERENT'} — ${again.faults.length} faults, ${again.correct}/${again.inferences} correct, ${again.sdc} SDC${again.due ? `, DUE ${again.due}` : ''}\n`);
      if (!match) process.exitCode = 1;
    }));
}
