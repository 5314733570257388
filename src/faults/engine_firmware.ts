/**
 * The firmware engine of fault campaigns: the host-built firmware (the deployed C runtime + the host HAL,
 * `inas_host`) runs every run from the freshly provisioned NVM image with the run's faults injected at NVM byte
 * addresses (`--inject`, firmware/README.md "Fault injection"). Faults are drawn exactly as on the TS engine (same
 * seeds, same fault space) and mapped to addresses: weights through the dumper's memory plan (w_addr, NVM order
 * [kh][kw][m][n]), the runtime's own state (image header, the two progress records: sequence number, inference
 * counter, footprint) at its fixed addresses. Outcomes: masked, SDC (a class differs from the golden one, or an
 * inference's result never came), DUE (refusal at boot, runtime error, hang, reset loop). Two firmware processes
 * run in parallel; the binary is built once per campaign by the caller (src/cli: faults may not import firmware).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import type { QModel } from '../quant/index.ts';
import type { AppliedFault, DueKind, RunOutcome } from './engine_ts.ts';
import { drawFaults, faultSpace, runRng, type DrawnFault, type FaultTensor } from './sample.ts';
import { eligibleBits, type FaultSpec } from './spec.ts';
import { plannedRuns, summarize, type CampaignOptions, type CampaignResult } from './campaign.ts';

/** Where one layer's weights live in NVM (from the dumper's LayerPlan). */
export interface FirmwareLayerMap {
  readonly name: string;
  /** Byte address of the layer's weights (0 when it has none). */
  readonly w_addr: number;
  readonly weight_bits: 16 | 8 | 0;
  /** Byte address of the layer's output feature map (HWC, Q15 words): where activation faults are located. */
  readonly ofm_addr?: number;
  /** Partial-sum steps per output tile (1: the layer keeps no partial sums in NVM) and the addresses of P0 and P1. */
  readonly psum_steps?: number;
  readonly psum_addr?: number;
  /** P1 (step s >= 1 reads the sums of steps 0..s-1 from P((s-1) mod 2)); needed only for --psum-step >= 2. */
  readonly psum_addr1?: number;
  /** Input channels N, output channels M, kernel taps kh·kw. */
  readonly in_c: number;
  readonly out_c: number;
  readonly taps: number;
}

/** A built firmware and what a campaign needs to know about it. */
export interface FirmwareTarget {
  /** The host binary (`inas build --target host`), built from the dump of `q`. */
  readonly binary: string;
  /** Per layer of the model, in order. */
  readonly layers: readonly FirmwareLayerMap[];
  readonly nvm_size_bytes: number;
  /** Golden classes of the dump's inputs (inference k uses golden input k): the reference of SDC. */
  readonly golden: Int32Array;
  /** Labels of the golden inputs (accuracy); the golden classes when unknown. */
  readonly labels: Int32Array;
  /** `--failures` passed through (none, every:N, every-cycles:N, random[:MEAN] — seeded per run —, energy). */
  readonly failures?: string;
  /**
   * Power failures tear the write they hit (`--torn`): true = a random byte prefix (`byte`); or a shape
   * (`checkTornShape`): `cut[:K]` the first K 16-bit words land (K seeded-random per torn write when omitted),
   * `stale[:K]` every word lands but word K (seeded-random when omitted), which keeps its old value.
   */
  readonly torn?: boolean | string;
  /**
   * Activation faults: 0 (default) = the word is corrupted in every load of it into SRAM during its consumer
   * stage (the TS engine's semantics: the consumer sees the flipped value throughout); K >= 1 = only in the K-th
   * such load of the run (one upset tile copy; later loads are clean).
   */
  readonly activationLoad?: number;
  /**
   * Partial-sum faults: the accumulation step s >= 1 (0-based, as in the runtime) whose load of the 32-bit sums of
   * steps 0..s-1 is corrupted (default 1: the load of P0 after step 0). Only layers with more than s steps are hit.
   */
  readonly psumStep?: number;
  /** A label of the build (e.g. "progress-crc", "no-progress-crc") for reports. */
  readonly build?: string;
}

/** The runtime's NVM state (firmware/runtime/nvm.h): image header and the two progress slots, as 16-bit words. */
export const STATE_REGIONS = [
  { name: 'state.header', addr: 0, words: 10, fields: ['magic', 'magic', 'format', 'format', 'model_id', 'model_id', 'weights_crc', 'weights_crc', 'check', 'check'] },
  { name: 'state.slot0', addr: 32, words: 16, fields: ['seq', 'seq', 'inference', 'inference', 'model_id', 'model_id', 'tiles_done', 'tiles_done', 'layer', 'r', 'c', 'm', 'n', 'reserved', 'check', 'check'] },
  { name: 'state.slot1', addr: 64, words: 16, fields: ['seq', 'seq', 'inference', 'inference', 'model_id', 'model_id', 'tiles_done', 'tiles_done', 'layer', 'r', 'c', 'm', 'n', 'reserved', 'check', 'check'] },
] as const;

/** The state fault space (one tensor per region, 16-bit words) for a spec. */
export function stateSpace(spec: FaultSpec, bits: readonly number[]): FaultTensor[] {
  return STATE_REGIONS.map((r, i) => ({ layerIndex: -1 - i, layer: r.name, length: r.words, width: 16, macs: 0, bits }))
    .filter((t) => !spec.layers.length || spec.layers.includes(t.layer));
}

/** One byte operation of the injection file. */
interface ByteOp { addr: number; mask: number; kind: 'flip' | 'sa0' | 'sa1'; when: string }

/** A drawn fault located in NVM: its byte operations (in file order) and its word. */
interface Located { fault: DrawnFault; word_addr: number; width: number; when: string; ops: ByteOp[]; layerIndex: number; target: FaultSpec['target']; field?: string | undefined }

/** NVM byte address of canonical weight `index` ([kh][kw][n][m]) of a layer stored as [kh][kw][m][n]. */
export function weightAddress(l: FirmwareLayerMap, index: number): number {
  const N = l.in_c, M = l.out_c;
  const p = Math.floor(index / (N * M));
  const rem = index % (N * M);
  const n = Math.floor(rem / M), m = rem % M;
  const elem = (p * M + m) * N + n;
  return l.w_addr + elem * (l.weight_bits === 8 ? 1 : 2);
}

/** Byte operations for one fault on a little-endian word of `width` bits at `addr` (random: clear then set). */
function byteOps(f: DrawnFault, addr: number, width: number, when: string): ByteOp[] {
  const ops: ByteOp[] = [];
  const bytes = width / 8;
  const mask = f.bits.reduce((m, b) => m | (1 << b), 0);
  for (let k = 0; k < bytes; k++) {
    const mb = (mask >> (8 * k)) & 0xff;
    const a = addr + k;
    if (f.kind === 'random') {
      ops.push({ addr: a, mask: 0xff, kind: 'sa0', when });
      const nb = (f.randomWord >> (8 * k)) & 0xff;
      ops.push({ addr: a, mask: nb, kind: 'flip', when });
    } else {
      // Every byte of the word gets a line (mask 0 only reports the byte), so the log has whole old/new words.
      ops.push({ addr: a, mask: mb, kind: f.kind === 'stuck0' ? 'sa0' : f.kind === 'stuck1' ? 'sa1' : 'flip', when });
    }
  }
  return ops;
}

/** Checks that a spec can run on the firmware engine. */
export function firmwareSpecIssue(spec: FaultSpec): string | null {
  if (spec.target === 'scales') return 'target "scales": the per-layer shifts live in the layer table (program constants compiled into the firmware), not in the NVM the host HAL injects into; use --engine ts';
  if (spec.target === 'psums' && spec.persistence !== 'transient') return 'target "psums" is a volatile SRAM copy: use --persistence transient';
  if (spec.target === 'psums' && spec.model === 'random') return 'target "psums": --model random is not supported on 32-bit words; use bitflip, burst, stuck0 or stuck1';
  if (spec.target === 'weights' && spec.persistence === 'transient') return 'target "weights" is injected into the NVM image (permanent until re-provisioned); use --persistence permanent';
  return null;
}

/** The fault space of a campaign on the firmware engine. */
export function firmwareSpace(q: QModel, spec: FaultSpec, layers?: readonly FirmwareLayerMap[], psumStep = 1): FaultTensor[] {
  if (spec.target === 'psums') {
    // 32-bit partial sums of the layers whose output tiles take >= 2 steps (elements: the layer's output, HWC).
    const out: FaultTensor[] = [];
    q.net.layers.forEach((layer, i) => {
      const l = layers?.[i];
      if (!l || (l.psum_steps ?? 1) < 1 + psumStep || (spec.layers.length && !spec.layers.includes(layer.name))) return;
      const bits = eligibleBits(spec, 32);
      if (bits.length) out.push({ layerIndex: i, layer: layer.name, length: layer.ofm.h * layer.ofm.w * layer.ofm.ch, width: 32, macs: 0, bits });
    });
    return out;
  }
  if (spec.target !== 'state') return faultSpace(q, spec);
  let lo = 0, hi = 15;
  if (spec.bits === 'msb') lo = 15;
  else if (spec.bits !== 'all') { lo = spec.bits.lo; hi = spec.bits.hi; }
  const bits: number[] = [];
  for (let b = lo; b <= hi; b++) if (!spec.excludeBits.includes(b)) bits.push(b);
  return stateSpace(spec, bits);
}

/** Checks a torn-write shape: byte | cut | cut:K (K >= 1) | stale | stale:K (K >= 0). */
export function checkTornShape(text: string): string | null {
  return /^(byte|cut(:[1-9]\d*)?|stale(:\d+)?)$/.test(text) ? null
    : `"${text}" is not a torn-write shape (expected byte, cut, cut:K with K >= 1 words, stale or stale:K)`;
}

/**
 * Draws and locates the faults of run `run`; `writes` = NVM writes of a clean run (range of "after write k").
 * Activations: drawn exactly as the TS engine does (transient: per inference s from (seed, run, s); permanent: once
 * per run) and located at the word of the layer's output map, corrupted in SRAM when the next stage (the next layer,
 * or the result stage after the last layer) loads it: the host HAL's ON_READ hook (`read INF STAGE [N]`).
 */
function locate(spec: FaultSpec, space: readonly FaultTensor[], target: FirmwareTarget, seed: number, run: number, writes: number): Located[] {
  if (spec.target === 'activations' || spec.target === 'psums') {
    const faults = spec.persistence === 'transient'
      ? target.golden.length ? Array.from(target.golden, (_, s) => drawFaults(space, spec, runRng(seed, run, s), s)).flat() : []
      : drawFaults(space, spec, runRng(seed, run));
    return faults.map((f) => {
      const t = space[f.tensor]!;
      const l = target.layers[t.layerIndex]!;
      if (spec.target === 'psums') {
        // The sums loaded at step s (from P((s-1) mod 2)), corrupted in that load: the n-th load of this buffer word
        // by the layer in the inference, n = floor((s-1)/2) + 1 (P0 is loaded at steps 1, 3, …; P1 at 2, 4, …).
        const s = target.psumStep ?? 1;
        const addr = ((s - 1) % 2 === 0 ? (l.psum_addr ?? 0) : (l.psum_addr1 ?? 0)) + 4 * f.index;
        const w = `read ${f.sample} ${t.layerIndex} ${Math.floor((s - 1) / 2) + 1}`;
        return { fault: f, word_addr: addr, width: 32, when: w, ops: byteOps(f, addr, 32, w), layerIndex: t.layerIndex, target: 'psums' };
      }
      const addr = (l.ofm_addr ?? 0) + 2 * f.index;
      const w = `read ${f.sample < 0 ? '*' : f.sample} ${t.layerIndex + 1} ${target.activationLoad ?? 0}`;
      return { fault: f, word_addr: addr, width: 16, when: w, ops: byteOps(f, addr, 16, w), layerIndex: t.layerIndex, target: 'activations' };
    });
  }
  const faults = drawFaults(space, spec, runRng(seed, run));
  const when = runRng(seed ^ 0x5ea7, run);
  return faults.map((f) => {
    const t = space[f.tensor]!;
    if (spec.target === 'state') {
      const region = STATE_REGIONS[-1 - t.layerIndex]!;
      const w = spec.persistence === 'permanent' ? 'perm' : `write ${1 + when.int(Math.max(1, writes))}`;
      const addr = region.addr + 2 * f.index;
      return { fault: f, word_addr: addr, width: 16, when: w, ops: byteOps(f, addr, 16, w), layerIndex: t.layerIndex, target: 'state', field: region.fields[f.index] };
    }
    const l = target.layers[t.layerIndex]!;
    const addr = weightAddress(l, f.index);
    const w = f.kind === 'stuck0' || f.kind === 'stuck1' ? 'perm' : 'boot';
    return { fault: f, word_addr: addr, width: t.width, when: w, ops: byteOps(f, addr, t.width, w), layerIndex: t.layerIndex, target: 'weights' };
  });
}

/** One `INAS FI` line of the host binary. */
export interface FiLine {
  readonly run: number;
  readonly status: number;
  readonly hang: boolean;
  readonly no_progress: boolean;
  readonly reboots: number;
  readonly writes: number;
  readonly ops: number;
  /** Writes torn by power failures in the run. */
  readonly torn: number;
  readonly results: ReadonlyMap<number, { cls: number; logits: number[] }>;
  /** Applied byte operations: index in the run's op list → [old, new]. */
  readonly applied: ReadonlyMap<number, [number, number]>;
}

const FI = /^INAS FI run=(\d+) status=(\d+) hang=(\d) no_progress=(\d) reboots=(\d+) writes=(\d+) ops=(\d+) torn=(\d+) res=(\S*) inj=(\S*)$/;

/** Parses an `INAS FI` line (null when the line is something else). */
export function parseFiLine(line: string): FiLine | null {
  const m = FI.exec(line.trim());
  if (!m) return null;
  const results = new Map<number, { cls: number; logits: number[] }>();
  for (const r of m[9] ? m[9].split(';') : []) {
    const [inf, cls, logits] = r.split(':');
    results.set(Number(inf), { cls: Number(cls), logits: (logits ?? '').split('/').map(Number) });
  }
  const applied = new Map<number, [number, number]>();
  for (const a of m[10] ? m[10].split(';') : []) {
    const [i, o, n] = a.split(':').map(Number);
    applied.set(i!, [o!, n!]);
  }
  return { run: Number(m[1]), status: Number(m[2]), hang: m[3] === '1', no_progress: m[4] === '1', reboots: Number(m[5]), writes: Number(m[6]), ops: Number(m[7]), torn: Number(m[8]), results, applied };
}

/** The DUE kind of a firmware status (firmware/runtime/status.h). */
export function dueOfStatus(status: number): DueKind {
  if (status === 0x0202) return 'crc_refusal';
  if (status >> 8 === 0x01) return 'check_refusal';
  return 'runtime_error';
}

/** Classifies one run: DUE, or per golden input masked / SDC (wrong class or a result that never came). */
function outcomeOf(run: number, fi: FiLine, located: readonly Located[], target: FirmwareTarget): RunOutcome {
  const faults: AppliedFault[] = [];
  let opIndex = 0;
  for (const loc of located) {
    const first = opIndex, count = loc.ops.length;
    opIndex += count;
    const bytes = loc.width / 8;
    const olds: number[] = new Array<number>(bytes).fill(-1), news: number[] = new Array<number>(bytes).fill(-1);
    for (let k = 0; k < count; k++) {
      const a = fi.applied.get(first + k);
      if (!a) continue;
      const b = loc.ops[k]!.addr - loc.word_addr;
      if (olds[b] === -1) olds[b] = a[0];
      news[b] = a[1];
    }
    if (olds.some((v) => v < 0)) continue; // never applied (the run ended before its write)
    const word = (v: number[]): number => { const u = v.reduce((acc, x, k) => acc | (x << (8 * k)), 0); return loc.width === 8 ? (u << 24) >> 24 : loc.width === 16 ? (u << 16) >> 16 : u | 0; };
    const f = loc.fault;
    faults.push({
      target: loc.target, layer: f.layer, layer_index: loc.layerIndex, index: f.index, bits: f.bits, kind: f.kind,
      old: word(olds), new: word(news), sample: loc.target === 'activations' || loc.target === 'psums' ? f.sample : -1, nvm_addr: loc.word_addr, when: loc.when, ...(loc.field ? { field: loc.field } : {}),
    });
  }
  const due: DueKind | null = fi.hang ? 'hang' : fi.no_progress ? 'reset_loop' : fi.status !== 0 ? dueOfStatus(fi.status) : null;
  const torn = target.torn ? { torn_writes: fi.torn } : {};
  if (due) return { run, faults, inferences: 0, correct: 0, sdc: 0, due, ...torn };
  let correct = 0, sdc = 0;
  const count = target.golden.length;
  for (let s = 0; s < count; s++) {
    const r = fi.results.get(s);
    if (r && r.cls === target.labels[s]) correct++;
    if (!r || r.cls !== target.golden[s]) sdc++;
  }
  return { run, faults, inferences: count, correct, sdc, due: null, ...torn };
}

function hash32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(b + 0x68e31da4, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** `--failures` argument: random schedules take their seed from each run's line (hash of campaign seed and run). */
function failuresArg(failures: string | undefined): string[] {
  if (!failures || failures === 'none') return ['--failures', 'none'];
  const m = /^random(?::(\d+))?$/.exec(failures);
  if (m) return ['--failures', `random:0${m[1] ? `:${m[1]}` : ''}`];
  return ['--failures', failures];
}

/** Checks a `--failures` value for campaigns: none | every:N | every-cycles:N | random[:MEAN] | energy. */
export function checkCampaignFailures(text: string): string | null {
  return /^(none|energy|random(:[1-9]\d*)?|every:[1-9]\d*|every-cycles:[1-9]\d*)$/.test(text) ? null
    : `"${text}" is not a campaign failure schedule (expected none, every:N, every-cycles:N, random[:MEAN] (seeded per run) or energy)`;
}

/** Runs the binary over an injection file; calls `onLine` per FI line; resolves with the runs it reported. */
function runProcess(target: FirmwareTarget, file: string, inferences: number, maxOps: number, onLine: (l: FiLine) => void, timeoutMs: number): Promise<{ code: number | null; killed: boolean; stderr: string }> {
  const args = ['--inject', file, '--inferences', String(inferences), '--uart', 'none', '--max-ops', String(maxOps), ...failuresArg(target.failures)];
  if (target.torn === true) args.push('--torn');
  else if (typeof target.torn === 'string') args.push(`--torn=${target.torn}`);
  return new Promise((resolve) => {
    const child = spawn(target.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '', stderr = '';
    let killed = false;
    const kill = (): void => { killed = true; child.kill('SIGKILL'); };
    let timer = setTimeout(kill, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const fi = parseFiLine(line);
        if (fi) {
          clearTimeout(timer);
          timer = setTimeout(kill, timeoutMs);
          onLine(fi);
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < 4000) stderr += d.toString('utf8'); });
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, killed, stderr: e.message }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, killed, stderr }); });
  });
}

function injectionText(runs: readonly number[], seed: number, plan: (run: number) => Located[]): string {
  let text = '';
  for (const r of runs) {
    text += `run ${r} ${hash32(seed >>> 0, r)}\n`;
    for (const loc of plan(r)) for (const op of loc.ops) text += `${op.addr} ${op.mask.toString(16)} ${op.kind} ${op.when}\n`;
    text += 'end\n';
  }
  return text;
}

/** What a firmware target lacks for a spec (torn shape, output-map addresses, load index), or null. */
function targetIssue(target: FirmwareTarget, spec: FaultSpec): InasIssue | null {
  if (typeof target.torn === 'string') { const bad = checkTornShape(target.torn); if (bad) return issue('invalid_argument', '--torn', bad); }
  if (target.activationLoad !== undefined && !(Number.isInteger(target.activationLoad) && target.activationLoad >= 0)) {
    return issue('invalid_argument', '--act-load', `must be a non-negative integer (0 = every load; got ${target.activationLoad})`);
  }
  if (target.psumStep !== undefined && !(Number.isInteger(target.psumStep) && target.psumStep >= 1)) {
    return issue('invalid_argument', '--psum-step', `must be an integer >= 1 (step 0 starts from zero and loads no sums; got ${target.psumStep})`);
  }
  if (spec.target === 'psums' && (target.psumStep ?? 1) >= 2 && target.layers.some((l) => (l.psum_steps ?? 1) > 2 && l.psum_addr1 === undefined)) {
    return issue('invalid_argument', 'dump', 'partial-sum faults at step >= 2 need the P1 address (FirmwareLayerMap.psum_addr1, from the dumper\'s memory plan)');
  }
  if (spec.target === 'psums' && target.layers.some((l) => l.psum_steps === undefined || ((l.psum_steps ?? 1) > 1 && l.psum_addr === undefined))) {
    return issue('invalid_argument', 'dump', 'partial-sum faults need every layer\'s psum steps and P0 address (FirmwareLayerMap.psum_steps / psum_addr, from the dumper\'s memory plan)');
  }
  if (spec.target === 'activations' && target.layers.some((l) => l.ofm_addr === undefined)) {
    return issue('invalid_argument', 'dump', 'activation faults need every layer\'s output-map address (FirmwareLayerMap.ofm_addr, from the dumper\'s memory plan)');
  }
  return null;
}

/** Options of a firmware campaign beyond the TS engine's. */
export interface FirmwareCampaignOptions extends CampaignOptions {
  /** Firmware processes in parallel (default 2). */
  readonly processes?: number;
  /** Hang budget: NVM operations per run (default: 50 × a clean run's + 100 000). */
  readonly maxOps?: number;
  /** Seconds without a finished run before a process is killed as hung (default 60). */
  readonly timeoutS?: number;
}

/** The clean reference of a firmware: NVM writes and operations of one fault-free run, and its classes. */
export interface FirmwareReference { readonly writes: number; readonly ops: number; readonly classes: Int32Array }

/** Runs the firmware once without faults and failures; checks it reproduces the golden classes. */
export async function firmwareReference(target: FirmwareTarget): Promise<Result<FirmwareReference>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inas-fi-'));
  try {
    const file = path.join(dir, 'ref.txt');
    writeFileSync(file, 'run 0 1\nend\n');
    let line: FiLine | null = null;
    const r = await runProcess({ ...target, failures: 'none', torn: false }, file, target.golden.length, 0, (l) => { line = l; }, 120_000);
    const got = line as FiLine | null;
    if (!got) return fail(issue('internal', target.binary, `the host firmware printed no result line (exit ${r.code}): ${r.stderr.slice(-2000)}`));
    const classes = Int32Array.from({ length: target.golden.length }, (_, s) => got.results.get(s)?.cls ?? -1);
    const bad = classes.findIndex((c, s) => c !== target.golden[s]);
    if (got.status !== 0 || bad >= 0) {
      return fail(issue('internal', target.binary, `the clean firmware run disagrees with the golden vectors (status ${got.status}, input ${bad}: class ${classes[bad]} vs ${target.golden[bad]}); rebuild the dump`));
    }
    return ok({ writes: got.writes, ops: got.ops, classes });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a campaign on the host-built firmware. */
export async function runFirmwareCampaign(q: QModel, target: FirmwareTarget, opts: FirmwareCampaignOptions): Promise<Result<CampaignResult>> {
  const why = firmwareSpecIssue(opts.spec);
  if (why) return fail(issue('invalid_argument', '--target', why));
  if (target.failures) { const bad = checkCampaignFailures(target.failures); if (bad) return fail(issue('invalid_argument', '--failures', bad)); }
  const bad = targetIssue(target, opts.spec);
  if (bad) return fail(bad);
  if (target.layers.length !== q.layers.length) return fail(issue('invalid_argument', 'dump', `the dump has ${target.layers.length} layers, the model ${q.layers.length}`));
  const space = firmwareSpace(q, opts.spec, target.layers, target.psumStep ?? 1);
  const plan = plannedRuns(q, opts, space);
  if (!plan.ok) return plan;
  const { runs, population } = plan.value;
  const t0 = performance.now();
  const ref = await firmwareReference(target);
  if (!ref.ok) return ref;
  const { writes } = ref.value;
  const maxOps = opts.maxOps ?? 50 * ref.value.ops + 100_000;
  const located = (r: number): Located[] => locate(opts.spec, space, target, opts.seed, r, writes);
  let clean = 0;
  for (let s = 0; s < target.golden.length; s++) if (target.golden[s] === target.labels[s]) clean++;
  const cleanAcc = target.golden.length ? clean / target.golden.length : 0;
  const procs = Math.max(1, Math.min(opts.processes ?? 2, runs));
  const lists: number[][] = Array.from({ length: procs }, () => []);
  for (let r = 0; r < runs; r++) lists[r % procs]!.push(r);
  const outcomes = new Map<number, RunOutcome>();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inas-fi-'));
  let done = 0;
  try {
    await Promise.all(lists.map(async (list, p) => {
      let pending = list.slice();
      let attempt = 0;
      while (pending.length) {
        const file = path.join(dir, `p${p}-${attempt++}.txt`);
        writeFileSync(file, injectionText(pending, opts.seed, located));
        const got = new Set<number>();
        const res = await runProcess(target, file, target.golden.length, maxOps, (fi) => {
          got.add(fi.run);
          outcomes.set(fi.run, outcomeOf(fi.run, fi, located(fi.run), target));
          done++;
          if (done % 16 === 0) opts.onProgress?.(done, runs);
        }, (opts.timeoutS ?? 60) * 1000);
        const rest = pending.filter((r) => !got.has(r));
        if (rest.length === 0) break;
        if (res.code === -1) throw new Error(`cannot run ${target.binary}: ${res.stderr}`);
        // The process died (crash) or was killed (hang) in the first unreported run: record it, go on after it.
        const dead = rest[0]!;
        outcomes.set(dead, { run: dead, faults: [], inferences: 0, correct: 0, sdc: 0, due: res.killed ? 'hang' : 'crash' });
        done++;
        pending = rest.slice(1);
      }
    }));
  } catch (e) {
    return fail(issue('internal', target.binary, (e as Error).message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  opts.onProgress?.(runs, runs);
  const sorted = [...outcomes.values()].sort((a, b) => a.run - b.run);
  const elapsed = (performance.now() - t0) / 1000;
  return ok(summarize(sorted, cleanAcc, target.golden.length, runs, population, elapsed, 'firmware'));
}

/** Re-runs one run of a firmware campaign (same seed, same clean reference) and returns its outcome. */
export async function replayFirmwareRun(q: QModel, target: FirmwareTarget, spec: FaultSpec, seed: number, run: number): Promise<Result<RunOutcome>> {
  const why = firmwareSpecIssue(spec);
  if (why) return fail(issue('invalid_argument', '--target', why));
  const bad = targetIssue(target, spec);
  if (bad) return fail(bad);
  const ref = await firmwareReference(target);
  if (!ref.ok) return ref;
  const space = firmwareSpace(q, spec, target.layers, target.psumStep ?? 1);
  const located = (r: number): Located[] => locate(spec, space, target, seed, r, ref.value.writes);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inas-fi-'));
  try {
    const file = path.join(dir, 'replay.txt');
    writeFileSync(file, injectionText([run], seed, located));
    let out: RunOutcome | null = null;
    const res = await runProcess(target, file, target.golden.length, 50 * ref.value.ops + 100_000, (fi) => { out = outcomeOf(fi.run, fi, located(fi.run), target); }, 60_000);
    return out ? ok(out) : ok({ run, faults: [], inferences: 0, correct: 0, sdc: 0, due: res.killed ? 'hang' : 'crash' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
