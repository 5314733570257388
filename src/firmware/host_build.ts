/**
 * Host build of the firmware: the portable runtime + hal/host + a dump's generated files, with gcc or clang,
 * optionally under AddressSanitizer/UBSan. Objects are cached by a hash of their inputs (the compiler's identity,
 * flags, the firmware tree's location, the source, every firmware header, the dump's headers when it includes them)
 * in a user cache folder (`hostObjectCacheDir`: $INAS_CACHE_DIR, else $XDG_CACHE_HOME/inas, else ~/.cache/inas,
 * then `firmware-obj/<tag>`; a temporary folder when that is not writable), never inside the package:
 * model-independent objects are shared by all dumps, and a dump whose files did not change is not recompiled.
 * Every object and the binary are written under a temporary name and renamed, so concurrent builds are safe.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail, issue, ok, type Result } from '../settings/index.ts';
import type { BuildOptions, BuildResult, SizeReport } from './types.ts';
import { FIRMWARE_ROOT, GENERATED_SOURCES, HOST_SOURCES, INCLUDE_DIRS, PORTABLE_SOURCES, STRICT_CFLAGS } from './sources.ts';

const HOST_COMPILERS: Readonly<Record<string, string>> = { gcc: 'gcc', clang: 'clang' };
/** Sources that include the dump's generated headers (compiled per dump). */
const MODEL_DEPENDENT = new Set(['runtime/engine.c', 'runtime/input_golden.c', 'hal/host/main_host.c']);
const DUMP_HEADERS = ['model.h', 'costs.h', 'golden.h'];

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** The user cache root: $INAS_CACHE_DIR, else $XDG_CACHE_HOME/inas, else ~/.cache/inas. */
export function inasCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env['INAS_CACHE_DIR']) return path.resolve(env['INAS_CACHE_DIR']);
  if (env['XDG_CACHE_HOME']) return path.resolve(env['XDG_CACHE_HOME'], 'inas');
  return path.join(os.homedir(), '.cache', 'inas');
}

function writableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Folder of the cached host objects of one build flavour (`tag`, e.g. host-gcc-san): `<cache root>/firmware-obj/<tag>`,
 * or `<tmpdir>/inas-cache-<uid>/firmware-obj/<tag>` when the cache root cannot be created or written (read-only
 * home, sandbox). Created when it returns.
 */
export function hostObjectCacheDir(tag: string, env: NodeJS.ProcessEnv = process.env): string {
  const preferred = path.join(inasCacheRoot(env), 'firmware-obj', tag);
  if (writableDir(preferred)) return preferred;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const fallback = path.join(os.tmpdir(), `inas-cache-${uid}`, 'firmware-obj', tag);
  mkdirSync(fallback, { recursive: true });
  return fallback;
}

const compilerIds = new Map<string, string>();
/** The compiler's identity (resolved path and `--version` text), so that a compiler upgrade invalidates the cache. */
function compilerIdentity(cc: string): string {
  let id = compilerIds.get(cc);
  if (id === undefined) {
    const where = spawnSync('sh', ['-c', `command -v ${cc}`], { encoding: 'utf8' }).stdout.trim();
    const version = spawnSync(cc, ['--version'], { encoding: 'utf8' }).stdout ?? '';
    id = `${where}\n${version}`;
    compilerIds.set(cc, id);
  }
  return id;
}

/** Every firmware header (inputs of every object's hash). */
function firmwareHeaders(): Buffer[] {
  const out: Buffer[] = [];
  for (const d of ['runtime', 'kernels', 'hal', 'hal/host']) {
    const dir = path.join(FIRMWARE_ROOT, d);
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.h')) out.push(readFileSync(path.join(dir, f)));
  }
  return out;
}

/** Parses `size` (Berkeley format) output. */
function sizeOf(binary: string): SizeReport | null {
  const r = spawnSync('size', [binary], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const line = r.stdout.trim().split('\n')[1];
  const [text, data, bss] = (line ?? '').trim().split(/\s+/).map(Number);
  if (text === undefined || data === undefined || bss === undefined || [text, data, bss].some(Number.isNaN)) return null;
  return { text_bytes: text, data_bytes: data, bss_bytes: bss };
}

function run(cmd: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', (e) => resolve({ code: -1, output: e.message }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Builds the host simulator binary for a dump folder. */
export async function buildHost(dumpDir: string, opts: BuildOptions): Promise<Result<BuildResult>> {
  const t0 = Date.now();
  const toolchain = opts.toolchain ?? 'gcc';
  const cc = HOST_COMPILERS[toolchain];
  if (!cc) return fail(issue('invalid_argument', 'toolchain', `toolchain "${toolchain}" cannot build the host target (use gcc or clang)`));
  if (!which(cc)) return fail(issue('toolchain_missing', 'toolchain', `${cc} is not on PATH (apt-get install ${cc})`));
  for (const f of [...DUMP_HEADERS, ...GENERATED_SOURCES]) {
    if (!existsSync(path.join(dumpDir, f))) {
      return fail(issue('file_not_found', path.join(dumpDir, f), `not a dump folder: ${f} is missing (run inas dump first)`));
    }
  }
  const defines = [...(opts.defines ?? [])].sort();
  const badDefine = defines.find((d) => !/^[A-Z_][A-Z0-9_]*(=[A-Za-z0-9_]+)?$/.test(d));
  if (badDefine !== undefined) return fail(issue('invalid_argument', 'defines', `"${badDefine}" is not a NAME=VALUE preprocessor definition`));
  const tag = `host-${toolchain}${opts.sanitize ? '-san' : ''}${defines.map((d) => `-${d.replace('=', '')}`).join('')}`;
  const buildDir = path.resolve(opts.buildDir ?? path.join(dumpDir, 'build', tag));
  const env = opts.env ?? process.env;
  let sharedObjDir: string;
  try {
    sharedObjDir = hostObjectCacheDir(tag, env);
  } catch (e) {
    return fail(issue('file_unreadable', inasCacheRoot(env), `no writable object cache folder (set INAS_CACHE_DIR): ${(e as Error).message}`));
  }
  const binary = path.join(buildDir, 'inas_host');
  const san = opts.sanitize ? ['-g', '-fsanitize=address,undefined', '-fno-omit-frame-pointer', '-fno-sanitize-recover=undefined'] : [];
  const flags = [...STRICT_CFLAGS, opts.sanitize ? '-O0' : '-O2', ...san, ...defines.map((d) => `-D${d}`)];
  const includes = [...INCLUDE_DIRS.map((d) => `-I${path.join(FIRMWARE_ROOT, d)}`), `-I${path.resolve(dumpDir)}`];
  const headers = firmwareHeaders();
  const dumpHeaders = DUMP_HEADERS.map((h) => readFileSync(path.join(dumpDir, h)));

  type Unit = { src: string; perDump: boolean; name: string };
  const units: Unit[] = [
    ...[...PORTABLE_SOURCES, ...HOST_SOURCES].map((s): Unit => ({ src: path.join(FIRMWARE_ROOT, s), perDump: MODEL_DEPENDENT.has(s), name: s })),
    ...GENERATED_SOURCES.map((s): Unit => ({ src: path.resolve(dumpDir, s), perDump: true, name: s })),
  ];
  const objects: string[] = [];
  let compiled = 0;
  // The firmware tree's location is part of the key: objects embed source paths (debug info, __FILE__ under
  // INAS_DEBUG), so two checkouts never share an object even when their files are equal.
  const ccId = compilerIdentity(cc);
  for (const u of units) {
    const h = createHash('sha256').update(ccId).update('\0').update(flags.join(' ')).update('\0').update(FIRMWARE_ROOT).update('\0')
      .update(u.name).update('\0').update(readFileSync(u.src));
    for (const b of headers) h.update(b);
    if (u.perDump) for (const b of dumpHeaders) h.update(b);
    const obj = path.join(sharedObjDir, `${u.name.replace(/[/.]/g, '_')}-${h.digest('hex').slice(0, 24)}.o`);
    objects.push(obj);
    if (existsSync(obj)) continue;
    const tmp = `${obj}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const r = await run(cc, [...flags, ...includes, '-c', '-o', tmp, u.src]);
    if (r.code !== 0) {
      rmSync(tmp, { force: true });
      return fail(issue('build_failed', u.src, `${cc} failed (exit ${r.code}):\n${r.output.trim().slice(0, 4000)}`));
    }
    renameSync(tmp, obj);
    compiled++;
  }
  const command = [cc, ...san, '-o', binary, ...objects, '-lm'];
  const linkStamp = createHash('sha256').update(command.join('\0')).digest('hex').slice(0, 16);
  const linked = path.join(buildDir, `.inas_host-${linkStamp}`);
  if (compiled === 0 && existsSync(binary) && existsSync(linked)) {
    return ok({ target: 'host', toolchain, binary, size: sizeOf(binary), limits: null, cached: true, elapsed_ms: Date.now() - t0, command });
  }
  mkdirSync(buildDir, { recursive: true });
  const tmp = `${binary}.tmp-${process.pid}`;
  const r = await run(cc, [...san, '-o', tmp, ...objects, '-lm']);
  if (r.code !== 0) {
    rmSync(tmp, { force: true });
    return fail(issue('build_failed', dumpDir, `${cc} link failed (exit ${r.code}):\n${r.output.trim().slice(0, 4000)}`));
  }
  renameSync(tmp, binary);
  mkdirSync(path.dirname(linked), { recursive: true });
  writeFileSync(linked, '');
  return ok({ target: 'host', toolchain, binary, size: sizeOf(binary), limits: null, cached: false, elapsed_ms: Date.now() - t0, command });
}
