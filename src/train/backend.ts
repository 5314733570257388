/**
 * Compute backend selection for training (issue 3): `auto` = native TensorFlow (tfjs-node) when it loads, else
 * wasm (SIMD) with the project's gradient kernels; `cpu` (pure JS, slow) only when asked. The active backend is
 * always asserted with `tf.getBackend()`: tfjs silently falls back to cpu when a backend fails to initialise.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { fail, issue, ok, type BackendName, type Result } from '../settings/index.ts';
import { registerWasmGradientKernels } from './wasm_kernels.ts';

/** What initBackend selected. */
export interface BackendInfo {
  /** tf.getBackend() after initialisation: 'tensorflow', 'wasm' or 'cpu'. */
  readonly backend: string;
  /** wasm only: whether the SIMD binary is in use. */
  readonly simd?: boolean;
  /** tensorflow only: where tfjs-node was loaded from. */
  readonly native_path?: string;
  /** Project kernels registered for this backend (e.g. Conv2DBackpropFilter on wasm). */
  readonly custom_kernels: readonly string[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the offline native build (scripts/build-tfjs-node.sh) puts tfjs-node: `<repo>/.native` unless
 * INAS_NATIVE_DIR names another folder with the same layout (node_modules/@tensorflow/tfjs-node inside).
 */
export function nativeDir(): string {
  const env = process.env['INAS_NATIVE_DIR'];
  return env && env.length > 0 ? path.resolve(env) : path.join(repoRoot, '.native');
}

let nativeLoad: { ok: true; path: string } | { ok: false; reasons: string[] } | null = null;

/** Loads @tensorflow/tfjs-node (installed normally, or built offline into nativeDir()); cached. */
function loadNative(): { ok: true; path: string } | { ok: false; reasons: string[] } {
  if (nativeLoad) return nativeLoad;
  const reasons: string[] = [];
  const require = createRequire(import.meta.url);
  const candidates: string[] = [];
  try {
    candidates.push(require.resolve('@tensorflow/tfjs-node'));
  } catch {
    reasons.push('@tensorflow/tfjs-node is not installed in node_modules');
  }
  const local = path.join(nativeDir(), 'node_modules', '@tensorflow', 'tfjs-node');
  if (existsSync(path.join(local, 'package.json'))) candidates.push(local);
  else reasons.push(`no offline build at ${local} (run scripts/build-tfjs-node.sh)`);
  // TensorFlow's C++ logging (oneDNN and CPU-feature notices) goes to stderr unless the user chose a level.
  if (process.env['TF_CPP_MIN_LOG_LEVEL'] === undefined) process.env['TF_CPP_MIN_LOG_LEVEL'] = '2';
  for (const c of candidates) {
    try {
      require(c);
      nativeLoad = { ok: true, path: c };
      return nativeLoad;
    } catch (e) {
      reasons.push(`${c}: ${(e as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  nativeLoad = { ok: false, reasons };
  return nativeLoad;
}

let wasmLoaded = false;

async function useWasm(): Promise<Result<BackendInfo>> {
  if (!wasmLoaded) {
    await import('@tensorflow/tfjs-backend-wasm');
    wasmLoaded = true;
  }
  const kernels = registerWasmGradientKernels();
  let set = false;
  try {
    set = await tf.setBackend('wasm');
    await tf.ready();
  } catch (e) {
    return fail(issue('backend_unavailable', 'training.backend', `the wasm backend failed to initialise: ${(e as Error).message}`));
  }
  if (!set || tf.getBackend() !== 'wasm') {
    return fail(issue('backend_unavailable', 'training.backend', `asked for wasm but tfjs runs on "${tf.getBackend()}"`,
      { expected: 'wasm', actual: tf.getBackend() }));
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return ok({ backend: 'wasm', simd, custom_kernels: kernels.length ? kernels : [tf.Conv2DBackpropFilter] });
}

async function useNative(): Promise<Result<BackendInfo>> {
  const loaded = loadNative();
  if (!loaded.ok) {
    return fail(issue('backend_unavailable', 'training.backend',
      `the native TensorFlow backend is not available: ${loaded.reasons.join('; ')}`, { reasons: loaded.reasons }));
  }
  const set = await tf.setBackend('tensorflow');
  await tf.ready();
  if (!set || tf.getBackend() !== 'tensorflow') {
    return fail(issue('backend_unavailable', 'training.backend', `asked for tensorflow but tfjs runs on "${tf.getBackend()}"`,
      { expected: 'tensorflow', actual: tf.getBackend() }));
  }
  return ok({ backend: 'tensorflow', native_path: loaded.path, custom_kernels: [] });
}

/**
 * Initialises and asserts a compute backend. `auto`: tensorflow when tfjs-node loads, else wasm; never cpu.
 * Fails with `backend_unavailable` when the asked backend is not the one tfjs ends up on.
 */
export async function initBackend(name: BackendName): Promise<Result<BackendInfo>> {
  switch (name) {
    case 'tensorflow':
      return useNative();
    case 'wasm':
      return useWasm();
    case 'cpu': {
      const set = await tf.setBackend('cpu');
      await tf.ready();
      if (!set || tf.getBackend() !== 'cpu') {
        return fail(issue('backend_unavailable', 'training.backend', `asked for cpu but tfjs runs on "${tf.getBackend()}"`));
      }
      return ok({ backend: 'cpu', custom_kernels: [] });
    }
    case 'auto': {
      if (loadNative().ok) {
        const n = await useNative();
        if (n.ok) return n;
      }
      return useWasm();
    }
    default: {
      const never: never = name;
      return fail(issue('invalid_value', 'training.backend', `unknown backend "${String(never)}" (expected auto, tensorflow, wasm or cpu)`));
    }
  }
}

/** The backend tfjs currently runs on. */
export function activeBackend(): string {
  return tf.getBackend();
}

/** Whether the native backend can be loaded (without switching to it). */
export function nativeAvailable(): boolean {
  return loadNative().ok;
}
