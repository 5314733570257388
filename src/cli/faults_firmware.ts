/**
 * `inas faults --engine firmware` glue: from a dump folder (or a solution, dumped into `<solution dir>/faults/dump`)
 * to a built host firmware and the NVM map of its weights (the dumper's memory plan, checked against the dump's
 * manifest). Kept in the CLI because the faults module may not import the dumper or the firmware module.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { LoadedSolution, QModel } from '../quant/index.ts';
import type { FirmwareTarget } from '../faults/index.ts';

export interface FirmwareBuildChoice {
  /** CRC-checked progress records (the shipped runtime) or the unprotected variant. */
  readonly progressCheck: 'crc' | 'none';
  /** Weights CRC checked at every boot. */
  readonly bootWeightsCrc: boolean;
  readonly failures?: string;
  /** true (a random byte prefix) or a shape: cut[:K] | stale[:K] | byte. */
  readonly torn?: boolean | string;
  /** Activation faults: 0 = every load of the word in its consumer stage, K = only the K-th load. */
  readonly activationLoad?: number;
  /** Partial-sum faults: the accumulation step (>= 1) whose load of the sums is corrupted. */
  readonly psumStep?: number;
}

export interface PreparedFirmware {
  readonly q: QModel;
  readonly loaded: LoadedSolution;
  readonly dumpDir: string;
  /** The NVM map of the model's layers (weights, output maps, partial sums). */
  readonly layers: readonly import('../faults/index.ts').FirmwareLayerMap[];
  /** Builds (cached) the firmware variant and returns the campaign target. */
  readonly build: (choice: FirmwareBuildChoice) => Promise<Result<FirmwareTarget>>;
}

/** True when `dir` is a dump folder (manifest.json of kind inas-dump). */
export function isDumpDir(dir: string): boolean {
  const m = path.join(dir, 'manifest.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(m)) return false;
  try {
    return (JSON.parse(readFileSync(m, 'utf8')) as { kind?: string }).kind === 'inas-dump';
  } catch {
    return false;
  }
}

/** Loads (or dumps) the model for the firmware engine. `solutionFile` is used when `target` is not a dump folder. */
export async function prepareFirmware(target: string, solutionFile: string, samples: number | undefined): Promise<Result<PreparedFirmware>> {
  const { readSolution } = await import('../quant/index.ts');
  const dumper = await import('../dumper/index.ts');
  const firmware = await import('../firmware/index.ts');
  let dumpDir: string;
  let loaded: LoadedSolution;
  if (isDumpDir(target)) {
    dumpDir = path.resolve(target);
    const man = firmware.readManifest(dumpDir);
    if (!man.ok) return man;
    if (!man.value.source) return fail(issue('invalid_file', path.join(dumpDir, 'manifest.json'), 'the dump names no source solution ("source": null); run inas faults on the solution instead'));
    const l = readSolution(path.resolve(dumpDir, man.value.source));
    if (!l.ok) return l;
    loaded = l.value;
  } else {
    const l = readSolution(solutionFile);
    if (!l.ok) return l;
    loaded = l.value;
    const count = Math.min(samples ?? 100, loaded.samples?.count ?? 0);
    if (count < 1) return fail(issue('invalid_file', loaded.path, 'this solution has no test samples to evaluate faults on'));
    dumpDir = path.join(path.dirname(loaded.path), 'faults', `dump-${count}`);
    const d = dumper.dumpSolution(loaded, dumpDir, { target: 'host', golden: count });
    if (!d.ok) return d;
  }
  const q = loaded.qmodel;
  if (!q) return fail(issue('invalid_file', loaded.path, 'this solution has no trained weights (design only); train it first (inas train)'));
  const man = firmware.readManifest(dumpDir);
  if (!man.ok) return man;
  const m = man.value;
  // The weights map from the dumper's memory plan, checked against what this dump actually holds.
  const plan = dumper.planMemory(q, loaded.solution, m.target);
  if (!plan.ok) return plan;
  const image = dumper.weightsImage(q, plan.value);
  const mismatch = plan.value.layers.findIndex((l, i) => l.w_addr !== m.layers[i]?.w_addr) >= 0 || m.layers.length !== plan.value.layers.length
    || dumper.crc32(image) !== m.weights.crc32;
  if (mismatch) return fail(issue('invalid_file', path.join(dumpDir, 'manifest.json'), `the dump does not match its solution ${loaded.path} (weights map or CRC differ); dump it again`));
  const layers = plan.value.layers.map((l) => ({ name: l.name, w_addr: l.w_addr, ofm_addr: l.ofm_addr, psum_steps: l.steps, psum_addr: plan.value.psum_addr[0], psum_addr1: plan.value.psum_addr[1], weight_bits: l.weight_bits, in_c: l.in_c, out_c: l.out_c, taps: l.k_h * l.k_w }));
  const golden = Int32Array.from(m.golden.classes_expected);
  const labels = m.golden.labels ? Int32Array.from(m.golden.labels) : golden.slice();
  const build = async (choice: FirmwareBuildChoice): Promise<Result<FirmwareTarget>> => {
    const defines = [...(choice.progressCheck === 'none' ? ['INAS_PROGRESS_CRC=0'] : []), ...(choice.bootWeightsCrc ? ['INAS_BOOT_WEIGHTS_CRC=1'] : [])];
    const b = await firmware.buildFirmware(dumpDir, { target: 'host', defines });
    if (!b.ok) return b;
    return ok({
      binary: b.value.binary, layers, nvm_size_bytes: m.nvm.size_bytes, golden, labels,
      ...(choice.failures ? { failures: choice.failures } : {}), ...(choice.torn ? { torn: choice.torn } : {}),
      ...(choice.activationLoad ? { activationLoad: choice.activationLoad } : {}),
      ...(choice.psumStep !== undefined ? { psumStep: choice.psumStep } : {}),
      build: `progress-${choice.progressCheck}${choice.bootWeightsCrc ? '+boot-weights-crc' : ''}`,
    });
  };
  return ok({ q, loaded, dumpDir, layers, build });
}
