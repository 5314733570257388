/**
 * Layer dimensions as the cost model sees them (reference conventions, §1.1) and the validity checks of §1.1 as
 * typed issues (the original called sys.exit).
 */
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { Layer } from '../network/index.ts';

/** Layer kinds of the scalar kernels. */
export const KIND_CONV = 0;
export const KIND_POOL = 1;
export const KIND_GAVGPOOL = 2;

/** Dimensions: H,W IFM rows/cols; R,C OFM rows/cols; N IFM channels; M OFM channels; Kh,Kw kernel. */
export interface LayerDims {
  /** KIND_CONV (CONV and FC), KIND_POOL or KIND_GAVGPOOL. */
  readonly kind: number;
  readonly H: number;
  readonly W: number;
  readonly R: number;
  readonly C: number;
  readonly N: number;
  readonly M: number;
  readonly Kh: number;
  readonly Kw: number;
  readonly stride: number;
}

/** Extracts the dimensions of a layer. */
export function layerDims(layer: Layer): LayerDims {
  const kind = layer.type === 'POOL' ? KIND_POOL : layer.type === 'GAVGPOOL' ? KIND_GAVGPOOL : KIND_CONV;
  return {
    kind,
    H: layer.ifm.h, W: layer.ifm.w, R: layer.ofm.h, C: layer.ofm.w, N: layer.ifm.ch, M: layer.ofm.ch,
    Kh: layer.kernel.h, Kw: layer.kernel.w, stride: layer.stride,
  };
}

/** IFM tile rows for an OFM tile of `t` rows: stride·t + K − stride (GAVGPOOL tiles the IFM directly). */
export function ifmTile(kind: number, t: number, k: number, stride: number): number {
  return kind === KIND_GAVGPOOL ? t : stride * t + k - stride;
}

/**
 * IFM tile with the original's inconsistency kept on request. Only the original's INT explorer sizes a GAVGPOOL IFM
 * tile as Tr×Tc; its CONT explorer and its fixed-design costing (`handler.find_layer_cost_fixed_solution`) use the
 * convolution formula stride·Tr + K − stride with K = the whole input, charging (Tr + H − 1)(Tc + W − 1) pixel
 * transfers per tile. `legacyGapTile` = true reproduces that (needed for the published CONT latencies and for the
 * HW-NAS designs costed under INT); false gives Tr×Tc.
 */
export function ifmTileCompat(kind: number, t: number, k: number, stride: number, legacyGapTile: boolean): number {
  return kind === KIND_GAVGPOOL && legacyGapTile ? stride * t + k - stride : ifmTile(kind, t, k, stride);
}

/** The checks of §1.1 (`common.check_conv/check_fc/check_pool`), one issue per broken rule. */
export function checkLayer(layer: Layer, path = `layers[${layer.index}]`): Result<LayerDims> {
  const { ifm, ofm, kernel: k } = layer;
  const bad: string[] = [];
  const need = (cond: boolean, rule: string): void => {
    if (!cond) bad.push(rule);
  };
  const positive = [ifm.ch, ifm.h, ifm.w, ofm.ch, ofm.h, ofm.w, k.n, k.ch, k.h, k.w, layer.stride].every((v) => Number.isInteger(v) && v > 0);
  need(positive, 'all dimensions must be positive integers');
  if (positive) {
    switch (layer.type) {
      case 'CONV': {
        need(layer.stride === 1, `stride must be 1 (got ${layer.stride})`);
        const is1d = ifm.w === 1 && ofm.w === 1 && k.w === 1;
        if (!is1d) {
          need(ifm.h === ifm.w, `IFM must be square (got ${ifm.h}x${ifm.w})`);
          need(ofm.h === ofm.w, `OFM must be square (got ${ofm.h}x${ofm.w})`);
          need(k.h === k.w, `kernel must be square (got ${k.h}x${k.w})`);
        }
        need(ifm.h > k.h, `kernel ${k.h} must be smaller than the input ${ifm.h}`);
        need(ifm.h >= ofm.h, `OFM rows ${ofm.h} exceed IFM rows ${ifm.h}`);
        need(k.ch === ifm.ch, `kernel channels ${k.ch} must equal IFM channels ${ifm.ch}`);
        need(k.n === ofm.ch, `kernel count ${k.n} must equal OFM channels ${ofm.ch}`);
        break;
      }
      case 'FC': {
        need(layer.stride === 1, `stride must be 1 (got ${layer.stride})`);
        need(k.h === ifm.h && k.w === ifm.w, `the kernel ${k.h}x${k.w} must cover the whole input ${ifm.h}x${ifm.w}`);
        need(k.ch === ifm.ch, `kernel channels ${k.ch} must equal IFM channels ${ifm.ch}`);
        need(k.n === ofm.ch, `kernel count ${k.n} must equal OFM channels ${ofm.ch}`);
        need(ofm.h === 1 && ofm.w === 1, `the output must be 1x1 (got ${ofm.h}x${ofm.w})`);
        if (layer.name.includes('END')) {
          need(ifm.h === ifm.w && ofm.h === ofm.w && k.h === k.w, 'FC_END needs square IFM, OFM and kernel');
        }
        break;
      }
      case 'POOL': {
        need(ifm.h === ifm.w && ofm.h === ofm.w && k.h === k.w, 'POOL needs square IFM, OFM and kernel');
        need(k.h === layer.stride, `POOL window ${k.h} must equal its stride ${layer.stride}`);
        need(ifm.h > k.h, `window ${k.h} must be smaller than the input ${ifm.h}`);
        need(ifm.h > ofm.h, `OFM rows ${ofm.h} must be below IFM rows ${ifm.h}`);
        need(k.ch === 1, `kernel channels must be 1 (got ${k.ch})`);
        need(k.n === ofm.ch && ifm.ch === ofm.ch, 'POOL keeps the channel count');
        break;
      }
      case 'GAVGPOOL': {
        need(layer.stride === 1, `stride must be 1 (got ${layer.stride})`);
        need(k.h === ifm.h && k.w === ifm.w, `the window ${k.h}x${k.w} must cover the whole input ${ifm.h}x${ifm.w}`);
        need(ifm.h > ofm.h, `the output rows ${ofm.h} must be below the input rows ${ifm.h}`);
        need(k.ch === k.n && k.n === ifm.ch && ifm.ch === ofm.ch, 'GAVGPOOL keeps the channel count');
        break;
      }
      default:
        bad.push(`unknown layer type ${JSON.stringify(layer.type)}`);
    }
  }
  if (bad.length) {
    const code = bad.some((b) => b.startsWith('unknown layer type')) ? 'unknown_layer_type' : 'invalid_arch';
    return fail(...bad.map((b) => issue(code, path, `layer ${layer.name}: ${b}`, { layer: layer.name })));
  }
  return ok(layerDims(layer));
}
