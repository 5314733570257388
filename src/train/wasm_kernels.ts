/**
 * Gradient kernels for the tfjs wasm backend (issue 3: "the project's own kernels for every gradient it lacks").
 * The IR's models (conv2d, conv1d = conv2d with a 1-wide kernel, dense, GAP, ReLU, softmax) need two convolution
 * gradients: Conv2DBackpropFilter, which the wasm backend lacks, and Conv2DBackpropInput, which it has only as a
 * naive loop (~20× slower than its XNNPACK forward convolution); Relu's Step, Mean, BatchMatMul, Softmax exist.
 *
 * Conv2DBackpropFilter computes dW[kh][kw][c][m] = Σ_{n,oy,ox} x[n][oy·sh+kh·dh−pt][ox·sw+kw·dw−pl][c] · dy[n][oy][ox][m].
 * The fast way on wasm is one matrix product per chunk of samples: the patches are written by a tight typed-array
 * loop straight into the wasm heap, transposed (K × P with K = kh·kw·c, P = samples·oh·ow), so that the product
 * patches · dy (P × m) runs in the backend's untransposed BatchMatMul (XNNPACK, ~10× its transposed paths).
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend this kernel uses (a structural view of tfjs-backend-wasm's BackendWasm). */
interface WasmBackendView {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** Largest patch matrix per chunk (floats): bounds the scratch memory of one call to 16 MiB. */
let chunkFloats = 4 * 1024 * 1024;

/** Sets the patch-matrix chunk size in floats (tests use a small one to exercise chunking); returns the old one. */
export function setPatchChunkFloats(n: number): number {
  const old = chunkFloats;
  chunkFloats = Math.max(1, Math.floor(n));
  return old;
}

/** Attributes of the Conv2DBackpropFilter kernel (tfjs-core's Conv2DBackpropFilterAttrs). */
interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function heapF32(backend: WasmBackendView, info: tf.TensorInfo): Float32Array {
  const a = backend.typedArrayFromHeap(info);
  if (!(a instanceof Float32Array)) throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return a;
}

/** The wasm Conv2DBackpropFilter: one XNNPACK convolution for stride 1 without padding, else the patch product. */
function conv2dBackpropFilterWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  return conv2dBackpropFilterPatches(args, true);
}

/** The patch-product dW (any stride/padding); `allowConv` hands the stride-1 unpadded case to the conv form. */
function conv2dBackpropFilterPatches(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }, allowConv = false): tf.TensorInfo {
  const backend = args.backend as WasmBackendView;
  const x = args.inputs['x'];
  const dy = args.inputs['dy'];
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if (!x || !dy) throw new Error('Conv2DBackpropFilter: missing inputs x/dy');
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape,
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: M,
    filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const padTop = info.padInfo.top, padLeft = info.padInfo.left;
  // Measured on this project's models (scripts/bench/train.ts): the convolution form wins except for very short
  // patch rows (K = kh·kw·c ≤ 9, e.g. a 3×3 kernel on a 1-channel input), where the patch copy is cheap.
  if (allowConv && KH * KW * C > 9 && SH === 1 && SW === 1 && DH === 1 && DW === 1 && padTop === 0 && padLeft === 0 && info.padInfo.bottom === 0 && info.padInfo.right === 0) {
    return conv2dBackpropFilterViaConv(args);
  }
  const K = KH * KW * C;
  const perSample = OH * OW;
  const samplesPerChunk = Math.max(1, Math.min(N, Math.floor(chunkFloats / Math.max(1, K * perSample))));
  const matMul = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (!matMul) throw new Error('wasm BatchMatMul kernel is not registered');

  const out = backend.makeOutput([KH, KW, C, M], 'float32');
  let first = true;
  for (let n0 = 0; n0 < N; n0 += samplesPerChunk) {
    const nc = Math.min(samplesPerChunk, N - n0);
    const P = nc * perSample;
    const patches = backend.makeOutput([K, P], 'float32');
    // dy rows of this chunk: the whole dy when one chunk covers the batch, else a copy of the rows.
    let dyChunk: tf.TensorInfo;
    let dyOwned = false;
    if (nc === N) {
      dyChunk = { dataId: dy.dataId, shape: [P, M], dtype: 'float32' };
    } else {
      dyChunk = backend.makeOutput([P, M], 'float32');
      dyOwned = true;
    }
    // Views are taken after every allocation (the heap may grow and detach older views).
    const xv = heapF32(backend, x);
    const pv = heapF32(backend, patches);
    if (dyOwned) heapF32(backend, dyChunk).set(heapF32(backend, dy).subarray(n0 * perSample * M, (n0 + nc) * perSample * M));
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        for (let c = 0; c < C; c++) {
          let o = ((kh * KW + kw) * C + c) * P;
          const x0 = kw * DW - padLeft, x1 = (OW - 1) * SW + kw * DW - padLeft;
          const rowInside = x0 >= 0 && x1 < W;
          for (let n = n0; n < n0 + nc; n++) {
            const xn = n * H * W * C;
            for (let oy = 0; oy < OH; oy++) {
              if (rowInside) {
                const iy = oy * SH + kh * DH - padTop;
                if (iy >= 0 && iy < H) {
                  // Fast path: the whole output row reads inside the input row.
                  let xi = xn + iy * W * C + x0 * C + c;
                  const step = SW * C;
                  for (let ox = 0; ox < OW; ox++, xi += step) pv[o++] = xv[xi] as number;
                  continue;
                }
              }
              const iy = oy * SH + kh * DH - padTop;
              if (iy < 0 || iy >= H) { pv.fill(0, o, o + OW); o += OW; continue; }
              const xrow = xn + iy * W * C + c;
              let ix = kw * DW - padLeft;
              for (let ox = 0; ox < OW; ox++, ix += SW) pv[o++] = ix >= 0 && ix < W ? (xv[xrow + ix * C] as number) : 0;
            }
          }
        }
      }
    }
    const prod = matMul.kernelFunc({
      inputs: { a: patches, b: dyChunk }, backend: args.backend as tf.KernelBackend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    const ov = heapF32(backend, out);
    const rv = heapF32(backend, prod);
    if (first) ov.set(rv);
    else for (let i = 0; i < ov.length; i++) ov[i] = (ov[i] as number) + (rv[i] as number);
    first = false;
    backend.disposeData(prod.dataId);
    backend.disposeData(patches.dataId);
    if (dyOwned) backend.disposeData(dyChunk.dataId);
  }
  if (first) heapF32(backend, out).fill(0);
  return out;
}

/** Attributes of the Conv2DBackpropInput kernel (tfjs-core's Conv2DBackpropInputAttrs). */
interface BackpropInputAttrs extends Omit<BackpropFilterAttrs, 'filterShape'> {
  inputShape: [number, number, number, number];
}

/**
 * Conv2DBackpropInput for stride 1 without dilation: dx = valid convolution of dy zero-padded by (k − 1 − pad) with
 * the filter rotated by 180° and its channel axes swapped, run by the backend's own (XNNPACK) Conv2D and PadV2.
 * Any other configuration goes to the backend's original kernel.
 */
function makeConv2dBackpropInputWasm(original: tf.KernelConfig | undefined) {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo => {
    const backend = args.backend as WasmBackendView;
    const dy = args.inputs['dy'];
    const filter = args.inputs['filter'];
    const attrs = args.attrs as unknown as BackpropInputAttrs;
    if (!dy || !filter) throw new Error('Conv2DBackpropInput: missing inputs dy/filter');
    const [KH = 0, KW = 0, C = 0, M = 0] = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, [KH, KW, C, M], attrs.strides, 1, attrs.pad,
      attrs.dimRoundingMode, false, 'channelsLast');
    const padT = KH - 1 - info.padInfo.top, padL = KW - 1 - info.padInfo.left;
    const padB = info.inHeight + KH - 1 - info.outHeight - padT, padR = info.inWidth + KW - 1 - info.outWidth - padL;
    const pad = tf.getKernel(tf.PadV2, 'wasm');
    const conv = tf.getKernel(tf.Conv2D, 'wasm');
    const simple = attrs.dataFormat !== 'NCHW' && info.strideHeight === 1 && info.strideWidth === 1 &&
      Math.min(padT, padL, padB, padR) >= 0 && pad && conv;
    if (!simple) {
      if (!original) throw new Error('Conv2DBackpropInput: configuration not supported and no original wasm kernel');
      return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const kb = args.backend as tf.KernelBackend;
    const padded = pad.kernelFunc({ inputs: { x: dy }, backend: kb,
      attrs: { paddings: [[0, 0], [padT, padB], [padL, padR], [0, 0]], constantValue: 0 } }) as tf.TensorInfo;
    const rot = backend.makeOutput([KH, KW, M, C], 'float32');
    const fv = heapF32(backend, filter);
    const rv = heapF32(backend, rot);
    for (let a = 0; a < KH; a++) {
      for (let b = 0; b < KW; b++) {
        const src = ((KH - 1 - a) * KW + (KW - 1 - b)) * C * M;
        const dst = (a * KW + b) * M * C;
        for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) rv[dst + m * C + c] = fv[src + c * M + m] as number;
      }
    }
    const out = conv.kernelFunc({ inputs: { x: padded, filter: rot }, backend: kb,
      attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 } }) as tf.TensorInfo;
    backend.disposeData(padded.dataId);
    backend.disposeData(rot.dataId);
    return out;
  };
}

/**
 * Conv2DBackpropFilter for stride 1 and no padding as one XNNPACK convolution: with batch and channels swapped,
 * dW[kh][kw][c][m] = Σ_{n,oy,ox} xT[c][kh+oy][kw+ox][n] · dyT[oy][ox][n][m], i.e. a valid conv2d of
 * xT = x transposed to [C, H, W, N] with the "filter" dyT = dy transposed to [OH, OW, N, M], giving [C, KH, KW, M].
 */
function conv2dBackpropFilterViaConv(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  // One convolution over the whole batch: splitting it into cache-sized chunks of samples was measured 1.2–6×
  // slower (each XNNPACK convolution call re-packs its filter, here dy).
  const kb = args.backend as tf.KernelBackend;
  const backend = args.backend as WasmBackendView;
  const x = args.inputs['x'] as tf.TensorInfo;
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  const conv = tf.getKernel(tf.Conv2D, 'wasm');
  if (!transpose || !conv) throw new Error('wasm Transpose/Conv2D kernels are not registered');
  const xT = transpose.kernelFunc({ inputs: { x }, backend: kb, attrs: { perm: [3, 1, 2, 0] } }) as tf.TensorInfo;
  const dyT = transpose.kernelFunc({ inputs: { x: dy }, backend: kb, attrs: { perm: [1, 2, 0, 3] } }) as tf.TensorInfo;
  const r = conv.kernelFunc({ inputs: { x: xT, filter: dyT }, backend: kb,
    attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 } }) as tf.TensorInfo;
  backend.disposeData(xT.dataId);
  backend.disposeData(dyT.dataId);
  const out = transpose.kernelFunc({ inputs: { x: r }, backend: kb, attrs: { perm: [1, 2, 0, 3] } }) as tf.TensorInfo;
  backend.disposeData(r.dataId);
  return out;
}

/** Exposed for measurements: the two ways of computing dW on wasm. */
export const wasmBackpropFilterVariants = { patches: conv2dBackpropFilterPatches, conv: conv2dBackpropFilterViaConv };

let registered = false;

/**
 * Registers the project's gradient kernels for the wasm backend (idempotent). Call before the first gradient
 * is computed on wasm. Returns the names of the kernels registered by this call.
 */
export function registerWasmGradientKernels(): string[] {
  if (registered) return [];
  registered = true;
  const names: string[] = [];
  if (!tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) {
    tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc });
    names.push(tf.Conv2DBackpropFilter);
  }
  const original = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (original) tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  const config: tf.KernelConfig = { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm',
    kernelFunc: makeConv2dBackpropInputWasm(original) as unknown as tf.KernelFunc };
  if (original?.setupFunc) config.setupFunc = original.setupFunc;
  tf.registerKernel(config);
  names.push(tf.Conv2DBackpropInput);
  return names;
}
