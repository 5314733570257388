/** Helpers shared by the test files: the CLI as a child process, and unwrapping a Result in a test. */
import { spawnSync } from 'node:child_process';

/** Runs `inas <args>` (scripts/inas.mjs) synchronously from the repository root; status, stdout and stderr. */
export function inas(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/inas.mjs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The value of an ok Result; a failed one throws with its issues' messages (the test fails there). */
export function unwrap<T>(r: { ok: true; value: T } | { ok: false; issues: readonly { message: string }[] }): T {
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.value;
}
