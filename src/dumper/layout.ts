/**
 * The NVM and SRAM plan of a deployed model (reference §5.3, corrected): which designs the runtime can execute
 * (with the reason when not), where every buffer lives in NVM, how large the engine's SRAM tile buffers are.
 * Pure functions: no I/O.
 *
 * NVM map (byte addresses):
 *   0 .. 127             reserved: image header (0), progress slots (32, 64) — firmware/runtime/nvm.h
 *   128                  feature buffer 0 (input image; even layers read it)
 *   +fm                  feature buffer 1                       (fm = 2·max feature map elements, 4-aligned)
 *   +fm                  partial-sum buffer 0, then buffer 1    (ps = 4·max psum elements; 0 when no layer needs it)
 *   +2·ps                weights, layer after layer ([kh][kw][m][n], 4-aligned blocks)
 * Corrections over the original: every layer's output (GAP, FC included) sizes the feature buffers, the reserved
 * area matches the real records, 32-bit partial-sum buffers exist, and the weights are actually written.
 */
import { fail, issue, ok, type InasIssue, type Result } from '../settings/index.ts';
import type { Layer } from '../network/index.ts';
import type { QModel, Solution } from '../quant/index.ts';
import { parseExecDesign, orderCode, type ExecDesign, type LoopOrder } from './design.ts';
import { TARGET_LIMITS, estimateFramImage, type DumpTarget } from './targets.ts';

export const NVM_RESERVED_BYTES = 128;
const LAYER_CODES = { CONV: 0, FC: 1, POOL: 2, GAVGPOOL: 3 } as const;

/** Everything the templates need about one layer (numbers computed here, never in a template). */
export interface LayerPlan {
  readonly index: number;
  readonly name: string;
  readonly type: Layer['type'];
  readonly type_code: number;
  readonly design: string;
  readonly exec: ExecDesign;
  readonly order_code: number;
  readonly relu: boolean;
  readonly pool_kind: 0 | 1;
  readonly weight_bits: 16 | 8 | 0;
  readonly shift: number;
  readonly in_h: number; readonly in_w: number; readonly in_c: number;
  readonly out_h: number; readonly out_w: number; readonly out_c: number;
  readonly k_h: number; readonly k_w: number;
  /** Tiles of the schedule, and how many partial-sum steps each output tile takes (1: no psums). */
  readonly tiles: number;
  readonly steps: number;
  readonly batches: number;
  readonly ifm_addr: number;
  readonly ofm_addr: number;
  readonly w_addr: number;
  readonly w_size_bytes: number;
  /** Elements each SRAM buffer needs for this layer. */
  readonly sram: { readonly ifm: number; readonly w: number; readonly acc: number; readonly out: number };
  readonly psum_elems: number;
}

export interface MemoryPlan {
  readonly layers: readonly LayerPlan[];
  readonly fm_buffer_bytes: number;
  readonly buf_addr: readonly [number, number];
  readonly psum_addr: readonly [number, number];
  readonly psum_elems: number;
  readonly weights_addr: number;
  readonly weights_size_bytes: number;
  readonly nvm_size_bytes: number;
  readonly sram: { readonly ifm_elems: number; readonly w_elems: number; readonly acc_elems: number; readonly out_elems: number; readonly size_bytes: number; readonly budget_bytes: number };
  readonly input_elems: number;
  readonly classes: number;
}

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

function divides(t: number, d: number): boolean {
  return t >= 1 && d >= 1 && d % t === 0;
}

/** Checks one layer's design against what the runtime executes; returns the layer plan without addresses. */
function planLayer(layer: Layer, q: QModel['layers'][number], design: string | null, path: string):
  Result<Omit<LayerPlan, 'ifm_addr' | 'ofm_addr' | 'w_addr'>> {
  if (design === null) return fail(issue('unsupported_design', `${path}.design`, `layer ${layer.name} has no feasible execution design (null); the runtime cannot execute it`));
  const parsed = parseExecDesign(design, `${path}.design`);
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  const bad = (why: string): Result<never> => fail(issue('unsupported_design', `${path}.design`, `layer ${layer.name} design ${design}: ${why}`,
    { layer: layer.name, design }));
  const inH = layer.ifm.h, inW = layer.ifm.w, inC = layer.ifm.ch;
  const outH = layer.ofm.h, outW = layer.ofm.w, outC = layer.ofm.ch;
  const kH = layer.kernel.h, kW = layer.kernel.w;
  const order: LoopOrder = d.order;
  let tiles: number, steps: number, iters: number;
  let sram: LayerPlan['sram'];
  let psumElems = 0;
  let wBits: 16 | 8 | 0 = 0;
  let wSize = 0;
  switch (layer.type) {
    case 'CONV':
    case 'FC': {
      if (layer.stride !== 1) return bad(`stride ${layer.stride} (the runtime runs stride 1)`);
      if (outH !== inH - kH + 1 || outW !== inW - kW + 1) return bad(`output ${outH}x${outW} is not the valid convolution of ${inH}x${inW} by ${kH}x${kW}`);
      if (layer.type === 'FC' && (d.tr !== 1 || d.tc !== 1)) return bad('FC layers need Tr = Tc = 1');
      if (!divides(d.tr, outH)) return bad(`Tr ${d.tr} does not divide the ${outH} output rows`);
      if (!divides(d.tc, outW)) return bad(`Tc ${d.tc} does not divide the ${outW} output columns`);
      if (!divides(d.tm, outC)) return bad(`Tm ${d.tm} does not divide the ${outC} output channels`);
      if (!divides(d.tn, inC)) return bad(`Tn ${d.tn} does not divide the ${inC} input channels`);
      const rt = outH / d.tr, ct = outW / d.tc, mt = outC / d.tm, nt = inC / d.tn;
      iters = order === 'reuse_I' ? mt : order === 'reuse_W' ? rt * ct : nt;
      if (!divides(d.s, iters)) return bad(`S ${d.s} does not divide the ${iters} iterations its ${order} batch runs along`);
      tiles = rt * ct * mt * nt;
      steps = order === 'reuse_O' ? nt / d.s : nt;
      if (steps > 1) psumElems = outH * outW * outC;
      sram = { ifm: (d.tr + kH - 1) * (d.tc + kW - 1) * d.tn, w: kH * kW * d.tm * d.tn, acc: d.tr * d.tc * d.tm, out: d.tr * d.tc * d.tm };
      if (!q.weights) return bad('no weights (a design-only solution cannot be deployed)');
      wBits = q.weight_bits;
      if (q.weights.length !== kH * kW * inC * outC) return bad(`has ${q.weights.length} weights, expected ${kH * kW * inC * outC}`);
      wSize = q.weights.length * (wBits / 8);
      if (q.shift < -15 || q.shift > 31) return bad(`requantisation shift ${q.shift} is outside [-15, 31]`);
      break;
    }
    case 'GAVGPOOL': {
      if (order !== 'reuse_O') return bad('GAVGPOOL runs only reuse_O');
      if (outH !== 1 || outW !== 1 || outC !== inC) return bad('GAVGPOOL output must be 1x1 with the input channels');
      if (inH * inW > 65535) return bad(`window of ${inH * inW} elements exceeds 65535 (Q15.md)`);
      if (!divides(d.tr, inH) || !divides(d.tc, inW) || !divides(d.tm, inC)) return bad(`Tr/Tc/Tm ${d.tr}/${d.tc}/${d.tm} must divide the ${inH}x${inW}x${inC} input`);
      iters = (inH / d.tr) * (inW / d.tc);
      if (!divides(d.s, iters)) return bad(`S ${d.s} does not divide the ${iters} spatial tiles`);
      tiles = iters * (inC / d.tm);
      steps = iters / d.s;
      if (steps > 1) psumElems = outC;
      sram = { ifm: d.tr * d.tc * d.tm, w: 0, acc: d.tm, out: d.tm };
      break;
    }
    case 'POOL': {
      if (order !== 'reuse_O') return bad('POOL runs only reuse_O');
      if (layer.stride !== kH || kH !== kW) return bad(`pooling needs a square window with stride = window (got ${kH}x${kW}, stride ${layer.stride})`);
      if (outH !== Math.floor(inH / kH) || outW !== Math.floor(inW / kW) || outC !== inC) return bad('pool output shape is not floor(input / window)');
      if (!divides(d.tr, outH) || !divides(d.tc, outW) || !divides(d.tm, outC)) return bad(`Tr/Tc/Tm ${d.tr}/${d.tc}/${d.tm} must divide the ${outH}x${outW}x${outC} output`);
      iters = outC / d.tm;
      if (!divides(d.s, iters)) return bad(`S ${d.s} does not divide the ${iters} channel tiles`);
      tiles = (outH / d.tr) * (outW / d.tc) * iters;
      steps = 1;
      sram = { ifm: d.tr * kH * d.tc * kW * d.tm, w: 0, acc: 1, out: d.tr * d.tc * d.tm };
      break;
    }
  }
  if (d.s > 65535 || d.tr > 65535 || d.tm > 65535) return bad('tile sizes and S must fit 16 bits');
  return ok({
    index: layer.index, name: layer.name, type: layer.type, type_code: LAYER_CODES[layer.type], design, exec: d,
    order_code: orderCode(order), relu: q.relu, pool_kind: q.pool === 'avg' ? 1 : 0, weight_bits: wBits, shift: q.shift,
    in_h: inH, in_w: inW, in_c: inC, out_h: outH, out_w: outW, out_c: outC, k_h: kH, k_w: kW,
    tiles, steps, batches: tiles / d.s, w_size_bytes: wSize, sram, psum_elems: psumElems,
  });
}

/**
 * Plans the deployment of `q` with the designs of `solution` on `target`: refuses (with `unsupported_design`,
 * `model_too_large` or `nvm_overflow` issues naming the layer and the numbers) what the runtime cannot run, and on
 * msp430-sim a firmware image (code + weights image + NVM copy + golden vectors) above the lower FRAM.
 * `opts.golden_count`: golden vectors compiled in (default 1, a lower bound for the FRAM check).
 */
export function planMemory(q: QModel, solution: Solution, target: DumpTarget, opts: { readonly golden_count?: number } = {}): Result<MemoryPlan> {
  const issues: InasIssue[] = [];
  const net = q.net;
  if (solution.layers.length !== net.layers.length || q.layers.length !== net.layers.length) {
    return fail(issue('invalid_file', 'layers', `the solution has ${solution.layers.length} layers, the quantized model ${q.layers.length}, the network ${net.layers.length}`));
  }
  const partial: Omit<LayerPlan, 'ifm_addr' | 'ofm_addr' | 'w_addr'>[] = [];
  net.layers.forEach((layer, i) => {
    const r = planLayer(layer, q.layers[i]!, solution.layers[i]!.design, `layers[${i}]`);
    if (r.ok) partial.push(r.value); else issues.push(...r.issues);
  });
  if (issues.length) return fail(...issues);
  const inputElems = net.input[0] * net.input[1] * net.input[2];
  const maxFm = Math.max(inputElems, ...partial.map((l) => l.out_h * l.out_w * l.out_c));
  const fmBytes = align4(2 * maxFm);
  const psumElems = Math.max(0, ...partial.map((l) => l.psum_elems));
  const psumBytes = align4(4 * psumElems);
  const buf: [number, number] = [NVM_RESERVED_BYTES, NVM_RESERVED_BYTES + fmBytes];
  const psum: [number, number] = [buf[1] + fmBytes, buf[1] + fmBytes + psumBytes];
  const weightsAddr = psum[1] + psumBytes;
  let w = weightsAddr;
  const layers: LayerPlan[] = partial.map((l, i) => {
    const plan = { ...l, ifm_addr: buf[i % 2]!, ofm_addr: buf[(i + 1) % 2]!, w_addr: l.w_size_bytes > 0 ? w : 0 };
    w += align4(l.w_size_bytes);
    return plan;
  });
  const weightsSize = w - weightsAddr;
  const nvmSize = w;
  const classes = net.classes;
  const sram = {
    ifm_elems: Math.max(1, ...layers.map((l) => l.sram.ifm)),
    w_elems: Math.max(1, ...layers.map((l) => l.sram.w)),
    acc_elems: Math.max(1, ...layers.map((l) => l.sram.acc)),
    out_elems: Math.max(1, classes, ...layers.map((l) => l.sram.out)),
  };
  const sramBytes = 2 * (sram.ifm_elems + sram.w_elems + sram.out_elems) + 4 * sram.acc_elems;
  const limits = TARGET_LIMITS[target];
  if (sramBytes > limits.sram_budget_bytes) {
    const worst = [...layers].sort((a, b) => (2 * (b.sram.ifm + b.sram.w + b.sram.out) + 4 * b.sram.acc) - (2 * (a.sram.ifm + a.sram.w + a.sram.out) + 4 * a.sram.acc))[0]!;
    issues.push(issue('model_too_large', `layers[${worst.index}].design`,
      `the tile buffers need ${sramBytes} bytes of SRAM (largest: layer ${worst.name}, design ${worst.design}); target ${target} has ${limits.sram_budget_bytes}`,
      { need_bytes: sramBytes, budget_bytes: limits.sram_budget_bytes }));
  }
  const nvmCap = Math.min(solution.settings.platform.nvm_capacity_bytes, limits.nvm_limit_bytes ?? Infinity);
  if (nvmSize > nvmCap) {
    issues.push(issue('nvm_overflow', 'settings.platform.nvm_capacity_bytes',
      `the NVM image needs ${nvmSize} bytes (2 feature buffers of ${fmBytes}, 2 partial-sum buffers of ${psumBytes}, ${weightsSize} bytes of weights); target ${target} offers ${nvmCap}`,
      { need_bytes: nvmSize, capacity_bytes: nvmCap }));
  }
  const fram = estimateFramImage(target, {
    nvm_size_bytes: nvmSize, weights_size_bytes: weightsSize, layers: layers.length, input_elems: inputElems, classes,
    ...(opts.golden_count !== undefined ? { golden_count: opts.golden_count } : {}),
  });
  if (fram !== null && fram.need_bytes > fram.capacity_bytes) {
    const over = fram.need_bytes - fram.capacity_bytes;
    issues.push(issue('model_too_large', 'target',
      `target ${target}: the firmware image does not fit the lower FRAM that 16-bit MSP430 code can address: needs about ${fram.need_bytes} B, ` +
      `has ${fram.capacity_bytes} B (over by ${over} B) = runtime code and constants ~${fram.code_bytes} B + compiled-in weights image ${fram.weights_bytes} B ` +
      `+ NVM copy ${fram.nvm_bytes} B (the weights again, 2 feature buffers of ${fmBytes} B, 2 partial-sum buffers of ${psumBytes} B) ` +
      `+ golden vectors ${opts.golden_count === undefined ? '>= ' : ''}${fram.golden_bytes} B + layer table ${fram.layer_table_bytes} B. ` +
      `Use --target msp430 (the board keeps weights and NVM on its external SPI FRAM) or a smaller model (here at most about ${fram.max_weights_bytes} B of weights)`,
      { need_bytes: fram.need_bytes, capacity_bytes: fram.capacity_bytes, over_bytes: over, code_bytes: fram.code_bytes, weights_bytes: fram.weights_bytes,
        nvm_bytes: fram.nvm_bytes, golden_bytes: fram.golden_bytes, max_weights_bytes: fram.max_weights_bytes }));
  }
  if (issues.length) return fail(...issues);
  return ok({
    layers, fm_buffer_bytes: fmBytes, buf_addr: buf, psum_addr: psum, psum_elems: psumElems, weights_addr: weightsAddr,
    weights_size_bytes: weightsSize, nvm_size_bytes: nvmSize, sram: { ...sram, size_bytes: sramBytes, budget_bytes: limits.sram_budget_bytes },
    input_elems: inputElems, classes,
  });
}

/**
 * The NVM weights image (bytes from `weights_addr`): each layer's weights reordered from the canonical tfjs order
 * [kh][kw][n][m] to [kh][kw][m][n] (input channels contiguous, one transfer per Tn slice), little-endian.
 */
export function weightsImage(q: QModel, plan: MemoryPlan): Uint8Array {
  const out = new Uint8Array(plan.weights_size_bytes);
  const view = new DataView(out.buffer);
  plan.layers.forEach((l, i) => {
    const w = q.layers[i]!.weights;
    if (!w || l.w_size_bytes === 0) return;
    const base = l.w_addr - plan.weights_addr;
    const N = l.in_c, M = l.out_c, taps = l.k_h * l.k_w;
    for (let p = 0; p < taps; p++) {
      for (let n = 0; n < N; n++) {
        for (let m = 0; m < M; m++) {
          const v = w[(p * N + n) * M + m]!;
          const dst = (p * M + m) * N + n;
          if (l.weight_bits === 16) view.setInt16(base + 2 * dst, v, true);
          else view.setInt8(base + dst, v);
        }
      }
    }
  });
  return out;
}
