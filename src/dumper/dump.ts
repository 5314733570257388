/**
 * `dumpModel`: a quantized model + its solution (designs, predictions, settings) → the firmware's generated files:
 * model.h/model.c (layer table and NVM map), weights.c + weights.bin (NVM weights image, CRC32), golden.h/golden.c +
 * golden.bin (test inputs and the TS reference's Q15 logits), costs.h (host simulator profile), manifest.json.
 * Every C file comes from templates/firmware/*.hbs; this file only computes the view model.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import { referenceInference, type QModel, type Solution } from '../quant/index.ts';
import { crc32, hex32 } from './crc32.ts';
import { hostProfile, type FirmwareCosts, type CostRow } from './costs.ts';
import { planMemory, weightsImage, NVM_RESERVED_BYTES, type MemoryPlan } from './layout.ts';
import { C_FILES, renderTemplate } from './render.ts';
import { DUMP_TARGETS, type DumpTarget } from './targets.ts';

/** What to dump. */
export interface DumpInput {
  readonly solution: Solution;
  readonly qmodel: QModel;
  /** Quantized test inputs (HWC, input_frac); the golden logits come from the TS reference inference. */
  readonly inputs: readonly Int16Array[];
  /** Labels of the inputs when known (recorded in the manifest only). */
  readonly labels?: readonly number[];
  /** Cost constants of the platform (src/platform). */
  readonly costs: FirmwareCosts;
  /** Solution file the dump came from (manifest only). */
  readonly source?: string;
}

export interface DumpOptions {
  readonly target: DumpTarget;
  /** Override the manifest timestamp (tests). */
  readonly createdUtc?: string;
}

/** manifest.json. */
export interface DumpManifest {
  readonly schema_version: 1;
  readonly kind: 'inas-dump';
  readonly inas_version: string;
  readonly settings_digest: string;
  readonly created_utc: string;
  readonly target: DumpTarget;
  readonly source: string | null;
  readonly model_id: number;
  readonly family: string;
  readonly arch: readonly number[];
  readonly power: string;
  readonly compat: string;
  readonly layers: readonly {
    readonly name: string; readonly type: string; readonly design: string; readonly tiles: number; readonly batches: number;
    readonly psum_steps: number; readonly ifm_addr: number; readonly ofm_addr: number; readonly w_addr: number; readonly w_size_bytes: number;
    readonly predicted: { readonly latency_s: number | null; readonly power_cycles: number | null; readonly energy_per_cycle_j: number | null };
  }[];
  readonly predicted: { readonly latency_s: number | null; readonly energy_j: number | null; readonly power_cycles: number | null };
  readonly nvm: {
    readonly size_bytes: number; readonly reserved_bytes: number; readonly fm_buffer_bytes: number; readonly buf_addr: readonly number[];
    readonly psum_addr: readonly number[]; readonly psum_elems: number; readonly weights_addr: number; readonly weights_size_bytes: number;
  };
  readonly sram: MemoryPlan['sram'];
  readonly weights: { readonly file: 'weights.bin'; readonly size_bytes: number; readonly crc32: number };
  readonly golden: {
    readonly file: 'golden.bin'; readonly count: number; readonly input_elems: number; readonly classes: number;
    readonly classes_expected: readonly number[]; readonly labels: readonly number[] | null;
    /** golden.bin: "INASGLD1", u32 count, u32 input_elems, u32 classes, then per vector int16 input[], int16 logits[], u16 class, u16 0. */
    readonly format: string;
  };
  readonly files: Readonly<Record<string, { readonly size_bytes: number; readonly crc32: number }>>;
}

/** The inas version (package.json). */
export function inasVersion(): string {
  const pkg = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const fmt = (v: number): string => (Number.isInteger(v) ? `${v}.0` : v.toPrecision(17));
const row = (r: CostRow): string => r.map(fmt).join(', ');

/** Formats numbers as rows of `perRow` comma-separated C literals. */
function rows(values: ArrayLike<number>, perRow: number, f: (v: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += perRow) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(values.length, i + perRow); j++) parts.push(f(values[j]!));
    out.push(parts.join(', '));
  }
  return out;
}

/** runtime/layer.h's names of the descriptor codes (INAS_LAYER_*, INAS_ORDER_*, INAS_POOL_*), by code. */
const TYPE_MACROS = ['INAS_LAYER_CONV', 'INAS_LAYER_FC', 'INAS_LAYER_POOL', 'INAS_LAYER_GAP'] as const;
const ORDER_MACROS = ['INAS_ORDER_REUSE_O', 'INAS_ORDER_REUSE_I', 'INAS_ORDER_REUSE_W'] as const;
const POOL_MACROS = ['INAS_POOL_MAX', 'INAS_POOL_AVG'] as const;

const byteHex = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
/** int16 literal that is valid C for -32768 too. */
const i16 = (v: number): string => (v === -32768 ? '(-32767 - 1)' : String(v));

/** Everything a dump produces, in memory (no I/O): file name → contents. */
export interface RenderedDump {
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly manifest: DumpManifest;
}

/** Plans and renders a dump; refuses designs the runtime cannot execute. */
export function renderDump(input: DumpInput, opts: DumpOptions): Result<RenderedDump> {
  const { solution, qmodel: q } = input;
  if (!DUMP_TARGETS.includes(opts.target)) {
    return fail(issue('invalid_argument', 'target', `unknown target "${String(opts.target)}" (expected one of ${DUMP_TARGETS.join(', ')})`));
  }
  const planned = planMemory(q, solution, opts.target, { golden_count: input.inputs.length });
  if (!planned.ok) return planned;
  const plan = planned.value;
  if (input.inputs.length === 0) return fail(issue('invalid_argument', 'samples', 'at least one test input is needed for the golden vectors'));
  const bad = input.inputs.findIndex((x) => x.length !== plan.input_elems);
  if (bad >= 0) return fail(issue('invalid_argument', `samples[${bad}]`, `has ${input.inputs[bad]!.length} values, the model input has ${plan.input_elems}`));

  const image = weightsImage(q, plan);
  const weightsCrc = crc32(image);
  const results = input.inputs.map((x) => referenceInference(q, x));
  const version = inasVersion();
  const digest = solution.settings_digest;
  const layerJson = JSON.stringify(plan.layers.map((l) => [l.type_code, l.order_code, l.relu, l.pool_kind, l.weight_bits, l.shift,
    l.in_h, l.in_w, l.in_c, l.out_h, l.out_w, l.out_c, l.k_h, l.k_w, l.exec.tr, l.exec.tc, l.exec.tm, l.exec.tn, l.exec.s, l.ifm_addr, l.ofm_addr, l.w_addr]));
  const modelId = crc32(new TextEncoder().encode(layerJson), weightsCrc);
  const modelName = `${solution.family} [${solution.arch.join(',')}]`;
  const header = { model: modelName, target: opts.target, version, digest };
  const costs = hostProfile(input.costs, solution.settings.platform);
  const classes = plan.classes;
  const view = {
    header,
    model: { model_id: modelId, num_layers: plan.layers.length, last_layer: plan.layers.length - 1, classes, input_elems: plan.input_elems },
    nvm: {
      size_bytes: plan.nvm_size_bytes, buf0: plan.buf_addr[0], buf1: plan.buf_addr[1], fm_buffer_bytes: plan.fm_buffer_bytes,
      psum0: plan.psum_addr[0], psum1: plan.psum_addr[1], psum_elems: plan.psum_elems, weights_addr: plan.weights_addr,
      weights_size_bytes: plan.weights_size_bytes, weights_crc32: weightsCrc, weights_crc32_hex: hex32(weightsCrc),
      output_addr: plan.layers[plan.layers.length - 1]!.ofm_addr,
    },
    sram: plan.sram,
    layers: plan.layers.map((l) => ({
      index: l.index, name: l.name, type: l.type, design: l.design, tiles: l.tiles, steps: l.steps,
      type_code: l.type_code, order_code: l.order_code, relu: l.relu ? 1 : 0, pool_kind: l.pool_kind, weight_bits: l.weight_bits,
      type_macro: TYPE_MACROS[l.type_code]!, order_macro: ORDER_MACROS[l.order_code]!,
      pool_macro: l.type === 'POOL' ? POOL_MACROS[l.pool_kind]! : `${l.pool_kind}u`,
      shift: l.shift, shift_literal: l.shift < 0 ? `(${l.shift})` : String(l.shift), in_h: l.in_h, in_w: l.in_w, in_c: l.in_c, out_h: l.out_h, out_w: l.out_w, out_c: l.out_c, k_h: l.k_h, k_w: l.k_w,
      tr: l.exec.tr, tc: l.exec.tc, tm: l.exec.tm, tn: l.exec.tn, s: l.exec.s,
      ifm_addr: l.ifm_addr, ofm_addr: l.ofm_addr, w_addr: l.w_addr, w_size_bytes: l.w_size_bytes,
    })),
    weight_rows: rows(image, 16, byteHex),
    golden: {
      count: input.inputs.length, input_elems: plan.input_elems, classes,
      input_rows: input.inputs.flatMap((x) => rows(x, 16, i16)),
      logit_rows: results.flatMap((r) => rows(r.logits, 16, i16)),
      class_list: results.map((r) => String(r.class)).join(', '),
    },
    costs: {
      compat: solution.compat, clock_hz: fmt(costs.clock_hz),
      nvm_read: row(costs.nvm_read), nvm_write: row(costs.nvm_write), vmac: row(costs.vmac),
      mac_ovhd: row(costs.mac_ovhd), pool: row(costs.pool), div: row(costs.div), fd_i: row(costs.fd_i), fd_w: row(costs.fd_w),
      fd_o: costs.fd_o.map(row), bd_o: costs.bd_o.map(row), reboot: row(costs.reboot),
      capacitance_f: fmt(costs.capacitance_f), von_v: fmt(costs.von_v), voff_v: fmt(costs.voff_v), vsup_v: fmt(costs.vsup_v),
      harvester_resistance_ohm: fmt(costs.harvester_resistance_ohm),
    },
  };

  const files = new Map<string, string | Uint8Array>();
  for (const f of C_FILES) files.set(f, renderTemplate(f, view));
  files.set('weights.bin', image);
  const goldenBin = new Uint8Array(20 + input.inputs.length * (2 * plan.input_elems + 2 * classes + 4));
  const gv = new DataView(goldenBin.buffer);
  goldenBin.set(new TextEncoder().encode('INASGLD1'), 0);
  gv.setUint32(8, input.inputs.length, true);
  gv.setUint32(12, plan.input_elems, true);
  gv.setUint32(16, classes, true);
  let o = 20;
  input.inputs.forEach((x, k) => {
    for (const v of x) { gv.setInt16(o, v, true); o += 2; }
    for (const v of results[k]!.logits) { gv.setInt16(o, v, true); o += 2; }
    gv.setUint16(o, results[k]!.class, true);
    o += 4;
  });
  files.set('golden.bin', goldenBin);

  const fileInfo: Record<string, { size_bytes: number; crc32: number }> = {};
  for (const [name, content] of files) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    fileInfo[name] = { size_bytes: bytes.length, crc32: crc32(bytes) };
  }
  const manifest: DumpManifest = {
    schema_version: 1, kind: 'inas-dump', inas_version: version, settings_digest: digest,
    created_utc: opts.createdUtc ?? new Date().toISOString(), target: opts.target, source: input.source ?? null, model_id: modelId,
    family: solution.family, arch: [...solution.arch], power: solution.power, compat: solution.compat,
    layers: plan.layers.map((l, i) => {
      const sl = solution.layers[i]!;
      return {
        name: l.name, type: l.type, design: l.design, tiles: l.tiles, batches: l.batches, psum_steps: l.steps,
        ifm_addr: l.ifm_addr, ofm_addr: l.ofm_addr, w_addr: l.w_addr, w_size_bytes: l.w_size_bytes,
        predicted: { latency_s: sl.latency_s, power_cycles: sl.power_cycles, energy_per_cycle_j: sl.energy_per_cycle_j },
      };
    }),
    predicted: { ...solution.predicted },
    nvm: {
      size_bytes: plan.nvm_size_bytes, reserved_bytes: NVM_RESERVED_BYTES, fm_buffer_bytes: plan.fm_buffer_bytes, buf_addr: [...plan.buf_addr],
      psum_addr: [...plan.psum_addr], psum_elems: plan.psum_elems, weights_addr: plan.weights_addr, weights_size_bytes: plan.weights_size_bytes,
    },
    sram: plan.sram,
    weights: { file: 'weights.bin', size_bytes: image.length, crc32: weightsCrc },
    golden: {
      file: 'golden.bin', count: input.inputs.length, input_elems: plan.input_elems, classes,
      classes_expected: results.map((r) => r.class), labels: input.labels ? [...input.labels] : null,
      format: 'INASGLD1 | u32 count | u32 input_elems | u32 classes | per vector: int16 input[input_elems], int16 logits[classes], u16 class, u16 0 (little-endian)',
    },
    files: fileInfo,
  };
  return ok({ files, manifest });
}

/** Writes a rendered dump into outDir: every file via a temporary name and a rename, manifest.json last. */
export function writeDump(rendered: RenderedDump, outDir: string): Result<DumpManifest> {
  try {
    mkdirSync(outDir, { recursive: true });
    const put = (name: string, content: string | Uint8Array): void => {
      const tmp = path.join(outDir, `.${name}.tmp-${process.pid}`);
      writeFileSync(tmp, content);
      renameSync(tmp, path.join(outDir, name));
    };
    for (const [name, content] of rendered.files) put(name, content);
    put('manifest.json', JSON.stringify(rendered.manifest, null, 2) + '\n');
  } catch (e) {
    return fail(issue('file_unreadable', outDir, `cannot write the dump: ${(e as Error).message}`));
  }
  return ok(rendered.manifest);
}

/** Plans, renders and writes a dump (see renderDump / writeDump). */
export function dumpModel(input: DumpInput, outDir: string, opts: DumpOptions): Result<DumpManifest> {
  const r = renderDump(input, opts);
  return r.ok ? writeDump(r.value, outDir) : r;
}
