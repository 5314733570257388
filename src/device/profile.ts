/**
 * `profile`: runs N inferences on a board and compares what it measures with what the cost model predicted.
 * - On-time per layer: the board's timer ticks (LAYER.ticks, summed over the power cycles the layer spanned) / tick_hz.
 * - Recharge time: the host clock between the board going down (OFF, or its last line) and the next BOOT; each one
 *   is charged to the layer that resumes after it. On a virtual board the host clock runs `time_scale` times the
 *   simulated time, so measured recharge times are divided by it.
 * - Latency per layer = on-time + recharge; power cycles per layer = LAYER.cycles.
 * - Outputs: every RESULT is compared with the golden vector of its sample (bit-exact logits and class).
 * `calibrateProfile` fits the harvester resistance (recharge model, §1.9) and a cycle scale of the cost profile.
 */
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import type { DeviceLink } from './link.ts';
import type { DeviceEvent } from './protocol.ts';
import type { GoldenVectors } from './dump_files.ts';

export interface PredictedLayer {
  readonly name: string;
  readonly latency_s: number | null;
  readonly power_cycles: number | null;
  readonly energy_per_cycle_j: number | null;
}

export interface ProfileOptions {
  readonly inferences: number;
  readonly layers: readonly PredictedLayer[];
  readonly predictedLatencyS: number | null;
  readonly golden: GoldenVectors | null;
  /** Settings digest the firmware must report (null: not checked). */
  readonly expectDigest: string | null;
  /** Host seconds per simulated second (virtual boards); 1 for a real board. */
  readonly timeScale: number;
  /** Seconds without any line from the board before giving up. @default 30 */
  readonly idleTimeoutS?: number;
  readonly replyTimeoutS?: number;
  readonly onEvent?: (e: DeviceEvent, hostS: number) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface MeasuredLayer {
  readonly name: string;
  readonly latency_s: { readonly measured: number | null; readonly predicted: number | null; readonly error_pct: number | null };
  readonly power_cycles: { readonly measured: number | null; readonly predicted: number | null; readonly error_pct: number | null };
  readonly on_time_s: number | null;
  readonly recharge_s: number | null;
}

export interface ProfileReport {
  readonly inferences: number;
  readonly outputs_match: boolean | null;
  readonly mismatches: readonly { readonly inference: number; readonly sample: number; readonly class: number; readonly expected_class: number }[];
  readonly latency_s: { readonly measured: number | null; readonly predicted: number | null; readonly error_pct: number | null };
  readonly power_cycles: { readonly measured: number | null; readonly predicted: number | null };
  readonly layers: readonly MeasuredLayer[];
  readonly recharge_s: { readonly mean: number | null; readonly count: number; readonly samples: readonly number[] };
  readonly board: { readonly version: string; readonly digest: string; readonly fw_crc: number; readonly model_crc: number; readonly tick_hz: number };
  readonly reboots: number;
  /** NVM writes per inference from the board's TOTAL lines (engine writes, re-executions after power failures included). */
  readonly nvm_writes: { readonly mean: number | null; readonly samples: readonly number[] };
  readonly dropped_lines: number;
  readonly host_elapsed_s: number;
}

type Pong = Extract<DeviceEvent, { tag: 'PONG' }>;

const errPct = (m: number | null, p: number | null): number | null => (m === null || p === null || p === 0 ? null : ((m - p) / p) * 100);
const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

interface InfAcc {
  ticks: number[];
  cycles: number[];
  rechargeS: number[];
  result: { cls: number; sample: number; logits: number[] } | null;
}

/** Runs the profile over an open link. */
export async function runProfile(link: DeviceLink, opts: ProfileOptions): Promise<Result<ProfileReport>> {
  const replyS = opts.replyTimeoutS ?? 3;
  const idleS = opts.idleTimeoutS ?? 30;
  const name = link.transport.name;
  const t0 = link.now();
  const totals = new Map<number, number>();
  const seen = (e: DeviceEvent, t: number) => {
    if (e.tag === 'TOTAL' && !totals.has(e.inf)) totals.set(e.inf, e.nvm_writes);
    opts.onEvent?.(e, t);
  };

  // Who is there?
  let pong: Pong | null = null;
  for (let attempt = 0; attempt < 3 && pong === null; attempt++) {
    const s = await link.send({ tag: 'PING', seq: 100 + attempt });
    if (!s.ok) return s;
    const r = await link.waitFor((e) => e.tag === 'PONG' && e.seq === 100 + attempt, replyS, (o) => seen(o.event, o.host_s));
    if (r.ok) pong = r.value.event as Pong;
    else if (r.issues[0]?.code !== 'io_timeout') return r;
  }
  if (pong === null) return fail(issue('io_timeout', name, `${name}: the board does not answer PING within ${replyS} s (is it running the inas firmware?)`));
  if (pong.model_state !== 'ok') {
    return fail(issue('device_error', name, `the board has no valid model image (state: ${pong.model_state}); load it with \`inas flash <dump dir> --port ${name}\``));
  }
  if (opts.expectDigest !== null && pong.digest !== opts.expectDigest) {
    return fail(issue('mismatch', name, `the firmware was built for settings digest ${pong.digest.slice(0, 16)}…, the solution has ${opts.expectDigest.slice(0, 16)}…; flash the firmware of this solution (refusing to profile)`));
  }
  const tickHz = pong.tick_hz;
  const nLayers = opts.layers.length;

  const run = await link.send({ tag: 'RUN', seq: 200, count: opts.inferences });
  if (!run.ok) return run;

  const accs = new Map<number, InfAcc>();
  const order: number[] = [];
  const acc = (inf: number): InfAcc => {
    let a = accs.get(inf);
    if (!a) {
      a = { ticks: Array(nLayers).fill(0), cycles: Array(nLayers).fill(0), rechargeS: Array(nLayers).fill(0), result: null };
      accs.set(inf, a);
      order.push(inf);
    }
    return a;
  };
  let completed = 0, reboots = 0;
  let lastLineS = link.now();
  let offAt: number | null = null;
  let pendingRecharge: number | null = null;
  let currentInf: number | null = null;
  const recharges: number[] = [];
  const problems: InasIssue[] = [];
  let acked = false;

  while (completed < opts.inferences) {
    const r = await link.next(idleS);
    if (!r.ok) {
      if (r.issues[0]?.code === 'io_timeout') {
        return fail(issue('io_timeout', name, `the board stopped answering: no line for ${idleS} s after ${completed} of ${opts.inferences} inferences`));
      }
      return r;
    }
    const { event: e, host_s: t } = r.value;
    seen(e, t);
    switch (e.tag) {
      case 'ACK':
        if (e.seq === 200) acked = true;
        break;
      case 'NAK':
        if (e.seq === 200) return fail(issue('device_error', name, `the board refused RUN (status 0x${e.status.toString(16).padStart(4, '0')})`));
        break;
      case 'OFF':
        offAt = t;
        break;
      case 'BOOT': {
        reboots++;
        const from = offAt ?? lastLineS;
        const rc = (t - from) / opts.timeScale;
        recharges.push(rc);
        pendingRecharge = (pendingRecharge ?? 0) + rc;
        offAt = null;
        break;
      }
      case 'INF':
        currentInf = e.inf;
        acc(e.inf);
        break;
      case 'LS':
        if (pendingRecharge !== null && e.layer < nLayers) {
          acc(e.inf).rechargeS[e.layer]! += pendingRecharge;
          pendingRecharge = null;
        }
        currentInf = e.inf;
        break;
      case 'LAYER':
        if (e.layer < nLayers) {
          const a = acc(e.inf);
          a.ticks[e.layer] = e.ticks;
          a.cycles[e.layer] = e.cycles;
          if (pendingRecharge !== null) {
            a.rechargeS[e.layer]! += pendingRecharge;
            pendingRecharge = null;
          }
        } else {
          problems.push(issue('protocol_error', name, `LAYER ${e.layer} is beyond the ${nLayers} layers of the solution (wrong firmware?)`));
        }
        break;
      case 'RESULT': {
        const a = acc(e.inf);
        if (a.result === null) {
          a.result = { cls: e.class, sample: e.sample, logits: e.logits };
          completed++;
          opts.onProgress?.(completed, opts.inferences);
        }
        break;
      }
      case 'ERR':
        return fail(issue('device_error', name, `the board reported an error: status 0x${e.status.toString(16).padStart(4, '0')} (${e.what}), detail ${e.arg}`));
      default:
        break;
    }
    lastLineS = t;
    void currentInf;
  }
  if (!acked) problems.push(issue('protocol_error', name, 'RUN was not acknowledged (the line may have dropped the ACK)'));
  // Let the board finish its last lines (TOTAL/IDLE) so the next command starts clean.
  await link.waitFor((e) => e.tag === 'IDLE', 1, (o) => seen(o.event, o.host_s));

  const done = order.map((k) => accs.get(k)!).filter((a) => a.result !== null);
  if (problems.length > 0 && done.length === 0) return fail(...problems);
  // Per layer averages over the completed inferences.
  const layers: MeasuredLayer[] = opts.layers.map((p, l) => {
    const on = mean(done.map((a) => a.ticks[l]! / tickHz));
    const rc = mean(done.map((a) => a.rechargeS[l]!));
    const cyc = mean(done.map((a) => a.cycles[l]!));
    const lat = on === null ? null : on + (rc ?? 0);
    return {
      name: p.name,
      latency_s: { measured: lat, predicted: p.latency_s, error_pct: errPct(lat, p.latency_s) },
      power_cycles: { measured: cyc, predicted: p.power_cycles, error_pct: errPct(cyc, p.power_cycles) },
      on_time_s: on,
      recharge_s: rc,
    };
  });
  const e2e = layers.every((l) => l.latency_s.measured !== null) ? layers.reduce((s, l) => s + l.latency_s.measured!, 0) : null;
  const cycles = layers.every((l) => l.power_cycles.measured !== null) ? layers.reduce((s, l) => s + l.power_cycles.measured!, 0) : null;
  const predictedCycles = opts.layers.every((l) => l.power_cycles !== null) ? opts.layers.reduce((s, l) => s + l.power_cycles!, 0) : null;

  let outputsMatch: boolean | null = null;
  const mismatches: { inference: number; sample: number; class: number; expected_class: number }[] = [];
  if (opts.golden !== null && opts.golden.count > 0) {
    for (const [i, a] of done.entries()) {
      const res = a.result!;
      const k = res.sample % opts.golden.count;
      const want = opts.golden.logits[k]!;
      const same = res.cls === opts.golden.cls[k] && res.logits.length === want.length && res.logits.every((v, j) => v === want[j]);
      if (!same) mismatches.push({ inference: order[i]!, sample: res.sample, class: res.cls, expected_class: opts.golden.cls[k]! });
    }
    outputsMatch = mismatches.length === 0;
  }
  const ds = link.stats;
  return ok({
    inferences: done.length,
    outputs_match: outputsMatch,
    mismatches,
    latency_s: { measured: e2e, predicted: opts.predictedLatencyS, error_pct: errPct(e2e, opts.predictedLatencyS) },
    power_cycles: { measured: cycles, predicted: predictedCycles },
    layers,
    recharge_s: { mean: mean(recharges), count: recharges.length, samples: recharges },
    board: { version: pong.version, digest: pong.digest, fw_crc: pong.fw_crc, model_crc: pong.model_crc, tick_hz: tickHz },
    reboots,
    nvm_writes: (() => {
      const samples = order.filter((k) => accs.get(k)!.result !== null && totals.has(k)).map((k) => totals.get(k)!);
      return { mean: mean(samples), samples };
    })(),
    dropped_lines: ds.bad_crc + ds.partial + ds.overlong + ds.malformed + ds.unknown_tag,
    host_elapsed_s: link.now() - t0,
  });
}

/** The `--json` shape of `inas profile` (issue 6). */
export function profileJson(r: ProfileReport): {
  inferences: number; outputs_match: boolean | null; latency_s: { measured: number | null; predicted: number | null };
  layers: { name: string; latency_s: { measured: number | null; predicted: number | null }; power_cycles: { measured: number | null; predicted: number | null } }[];
} {
  return {
    inferences: r.inferences,
    outputs_match: r.outputs_match,
    latency_s: { measured: r.latency_s.measured, predicted: r.latency_s.predicted },
    layers: r.layers.map((l) => ({
      name: l.name,
      latency_s: { measured: l.latency_s.measured, predicted: l.latency_s.predicted },
      power_cycles: { measured: l.power_cycles.measured, predicted: l.power_cycles.predicted },
    })),
  };
}

/** A Markdown report: predicted vs measured per layer. */
export function profileMarkdown(r: ProfileReport, title: string): string {
  const f = (v: number | null, d = 4) => (v === null ? '–' : v.toPrecision(d));
  const pct = (v: number | null) => (v === null ? '–' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`);
  const lines = [
    `# Profile: ${title}`,
    '',
    `Board: inas ${r.board.version}, digest ${r.board.digest.slice(0, 16)}…, firmware 0x${r.board.fw_crc.toString(16).padStart(8, '0')}, model 0x${r.board.model_crc.toString(16).padStart(8, '0')}, timer ${r.board.tick_hz} Hz.`,
    `Inferences: ${r.inferences}; outputs match the golden vectors: ${r.outputs_match === null ? 'not checked (no golden vectors)' : r.outputs_match ? 'yes (bit-exact)' : `NO (${r.mismatches.length} mismatches)`}.`,
    `Reboots: ${r.reboots}; mean recharge time ${f(r.recharge_s.mean)} s over ${r.recharge_s.count}; dropped lines ${r.dropped_lines}.`,
    `NVM writes per inference (board TOTAL lines): ${r.nvm_writes.mean === null ? '–' : f(r.nvm_writes.mean, 6)}.`,
    '',
    '| layer | latency predicted (s) | measured (s) | error | on-time (s) | recharge (s) | power cycles predicted | measured | error |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.layers.map((l) => `| ${l.name} | ${f(l.latency_s.predicted)} | ${f(l.latency_s.measured)} | ${pct(l.latency_s.error_pct)} | ${f(l.on_time_s)} | ${f(l.recharge_s)} | ${f(l.power_cycles.predicted)} | ${f(l.power_cycles.measured)} | ${pct(l.power_cycles.error_pct)} |`),
    `| **end to end** | ${f(r.latency_s.predicted)} | ${f(r.latency_s.measured)} | ${pct(r.latency_s.error_pct)} | | | ${f(r.power_cycles.predicted)} | ${f(r.power_cycles.measured)} | |`,
    '',
  ];
  return lines.join('\n');
}

/** Fitted constants from a profile. */
export interface Calibration {
  /** Harvester resistance (ohm) that makes the recharge model match the measured recharge times (least squares). */
  readonly harvester_resistance_ohm: number | null;
  /** Measured on-time / predicted on-time over all layers: multiply the profile's cycle counts by it. */
  readonly cycle_scale: number | null;
  readonly recharge_samples: number;
}

/**
 * Fits the calibration. `rechargePerOhmS(energyJ)` is the recharge time at R = 1 ohm after a cycle that used
 * energyJ (the platform's model is linear in R); `predictedRechargeS(layer)` is what the model charged per cycle.
 */
export function calibrateProfile(r: ProfileReport, layers: readonly PredictedLayer[], rechargePerOhmS: (energyJ: number) => number, predictedRechargeS: (energyJ: number) => number): Calibration {
  // Recharge: t_measured ≈ R · k(E) with k from the model; least squares through the origin over layers.
  let num = 0, den = 0, samples = 0;
  let onMeasured = 0, onPredicted = 0;
  for (const [i, l] of r.layers.entries()) {
    const p = layers[i];
    const e = p?.energy_per_cycle_j ?? null;
    const cycles = l.power_cycles.measured;
    if (e !== null && e > 0 && cycles !== null && cycles > 1 && l.recharge_s !== null) {
      const k = rechargePerOhmS(e) * (cycles - 1);
      if (Number.isFinite(k) && k > 0) {
        num += l.recharge_s * k;
        den += k * k;
        samples++;
      }
    }
    if (p && p.latency_s !== null && l.on_time_s !== null) {
      const pc = p.power_cycles ?? 1;
      const predOn = p.latency_s - (e !== null && e > 0 ? pc * predictedRechargeS(e) : 0);
      if (predOn > 0) {
        onMeasured += l.on_time_s;
        onPredicted += predOn;
      }
    }
  }
  return {
    harvester_resistance_ohm: den > 0 ? num / den : null,
    cycle_scale: onPredicted > 0 ? onMeasured / onPredicted : null,
    recharge_samples: samples,
  };
}
