/**
 * Packaging of the best child with quant's `createPackageFn` (src/nas/package_solution.ts: train stand-alone,
 * quantize, explore, write `<run>/best/solution.json` + weights.bin + samples.bin). The run directory also gets
 * `best.json`: the same solution with its file references made relative to the run directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fail, issue, ok, settingsDigest, type InasSettings, type Result } from '../settings/index.ts';
import { writeFileAtomic } from './fsutil.ts';
import { createPackageFn } from './package_solution.ts';
import type { PackageFn, PackageInfo } from './search.ts';

/** Rewrites `<runDir>/best/solution.json` as `<runDir>/best.json` (file references relative to the run directory). */
export function writeBestJson(runDir: string, solutionPath: string): Result<string> {
  let sol: Record<string, unknown>;
  try {
    sol = JSON.parse(readFileSync(solutionPath, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    return fail(issue('invalid_json', solutionPath, `cannot read the packaged solution: ${(e as Error).message}`));
  }
  const rel = path.relative(runDir, path.dirname(solutionPath));
  for (const k of ['weights', 'samples']) {
    const ref = sol[k] as { file?: string } | null | undefined;
    if (ref && typeof ref.file === 'string') sol[k] = { ...ref, file: path.join(rel, ref.file) };
  }
  const out = path.join(runDir, 'best.json');
  writeFileAtomic(out, JSON.stringify(sol, null, 2) + '\n');
  return ok(out);
}

/** The packager used by `inas search` and `inas compare`: uses the run's own settings (from its state.json). */
export function packagerFor(): PackageFn {
  return async (net, trial, runDir, hooks): Promise<Result<PackageInfo>> => {
    const settings = (JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8')) as { settings: InasSettings }).settings;
    const r = await createPackageFn({ settings, digest: settingsDigest(settings) })(net, trial, runDir, hooks);
    if (!r.ok) return r;
    if (!existsSync(r.value.best_json)) return fail(issue('file_not_found', r.value.best_json, 'the packager did not write its solution'));
    const best = writeBestJson(runDir, r.value.best_json);
    if (!best.ok) return best;
    return ok({ ...r.value, best_json: best.value });
  };
}
